"""The ``clean`` config: each article's content as plain text, with its spans re-based.

Most users want the story, not the page: this config removes every
boilerplate span and tidies whitespace (a run of spaces becomes one space, a
run holding a line break becomes one line break, furniture glued between two
words becomes one space), then moves entities and quotes onto the new text so
that ``text[start:end] == span["text"]`` holds there too. Ids stay those of
the ``articles`` config, which name the raw offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

_WORD = re.compile(r"\S+")
_NOT_NEWLINE = re.compile(r"[^\n]")


class Rebased:
    """Clean text and the map from raw offsets of content characters to clean offsets."""

    def __init__(self, text: str, boilerplate: list[dict[str, Any]]) -> None:
        masked = text
        if boilerplate:
            # Furniture becomes whitespace of the same length, so raw offsets hold.
            parts, pos = [], 0
            for span in sorted(boilerplate, key=lambda b: b["start"]):
                start, end = span["start"], span["end"]
                parts += [text[pos:start], _NOT_NEWLINE.sub(" ", text[start:end])]
                pos = end
            parts.append(text[pos:])
            masked = "".join(parts)
        out: list[str] = []
        raw: list[int] = []
        clean: list[int] = []
        size = 0
        prev = -1
        for match in _WORD.finditer(masked):
            start = match.start()
            if prev >= 0:
                out.append("\n" if "\n" in masked[prev:start] else " ")
                size += 1
            word = match.group()
            raw.append(start)
            clean.append(size)
            out.append(word)
            size += len(word)
            prev = match.end()
        self.text = "".join(out)
        self._raw = raw
        self._clean = clean
        self._masked = masked

    def position(self, offset: int) -> int | None:
        """The clean offset of the raw character at ``offset``, or None if it was removed."""
        i = bisect_right(self._raw, offset) - 1
        if i < 0 or self._masked[offset].isspace():
            return None
        return self._clean[i] + offset - self._raw[i]

    def span(self, span: dict[str, Any] | None) -> dict[str, Any] | None:
        """A span moved onto the clean text, or None if it lies in removed text."""
        if span is None or span["end"] <= span["start"]:
            return None
        start = self.position(span["start"])
        last = self.position(span["end"] - 1)
        if start is None or last is None or last < start:
            return None
        moved = dict(span)
        moved.update(start=start, end=last + 1, text=self.text[start : last + 1])
        return moved


def rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The one clean row of an ``articles`` record."""
    rebased = Rebased(record["text"], record["boilerplate"])
    entities = [e for e in map(rebased.span, record["entities"]) if e is not None]
    quotes = []
    for quote in record["quotes"]:
        content = rebased.span(quote["content"])
        if content is None:
            continue
        quotes.append(
            {
                "id": quote["id"],
                "kind": quote["kind"],
                "content": content,
                "cue": rebased.span(quote["cue"]),
                "speaker": rebased.span(quote["speaker"]),
                "speaker_name": quote["speaker_name"],
            }
        )
    yield {
        "id": record["id"],
        "outlet": record["outlet"],
        "title": record["title"],
        "published": record["published"],
        "status": record["status"],
        "text": rebased.text,
        "entities": entities,
        "quotes": quotes,
    }

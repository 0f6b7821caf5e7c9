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
from collections.abc import Iterable, Sequence
from itertools import accumulate, compress
from typing import Any

from warta.schema import LAYER
from warta.views.columns import Collected, Moved, layer_columns

_ONE = 1
_WORD = re.compile(r"\S+")
_NOT_NEWLINE = re.compile(r"[^\n]")


def _words(
    line: str, words: list[str], pos: int, size: int, raw: list[int], clean: list[int]
) -> None:
    """Add the raw and clean starts of each word of a line that starts at raw ``pos``.

    ``size`` is the line's clean start; ``words`` its words (``line.split()``).
    """
    pieces = line.split(" ")
    if list(filter(None, pieces)) == words:
        # Spaces are the only whitespace: the words' starts are running sums.
        raw += compress(accumulate(map(_ONE.__add__, map(len, pieces)), initial=pos), pieces)
    else:
        raw += [pos + match.start() for match in _WORD.finditer(line)]
    clean += accumulate(map(_ONE.__add__, map(len, words[:-1])), initial=size)


class Rebased:
    """Clean text and the map from raw offsets of content characters to clean offsets.

    The map is a sorted list of raw starts, each with its clean start, of
    stretches the cleaning only moves: a word, or a whole line whose words
    are already one space apart (most lines). It is worked out line by line
    with string methods, not by a regular expression over every word: this
    runs once per article and used to cost more than the rest of the config.
    """

    def __init__(self, text: str, boilerplate: list[dict[str, Any]]) -> None:
        masked = text
        if boilerplate:
            # Furniture becomes whitespace of the same length, so raw offsets hold.
            parts, pos = [], 0
            for span in sorted(boilerplate, key=lambda b: b["start"]):
                start, end = span["start"], span["end"]
                furniture = text[start:end]
                if "\n" in furniture:
                    furniture = _NOT_NEWLINE.sub(" ", furniture)
                else:
                    furniture = " " * len(furniture)
                parts += [text[pos:start], furniture]
                pos = end
            parts.append(text[pos:])
            masked = "".join(parts)
        # Words part with one space, or one line break when the gap holds one:
        # the words of each raw line joined by spaces, and the lines with words.
        out: list[str] = []
        raw: list[int] = []
        clean: list[int] = []
        pos = 0
        size = -1  # the first line with words has no line break before it
        for line in masked.split("\n"):
            words = line.split()
            if words:
                joined = " ".join(words)
                size += 1
                if joined == line:
                    raw.append(pos)
                    clean.append(size)
                else:
                    _words(line, words, pos, size, raw, clean)
                out.append(joined)
                size += len(joined)
            pos += len(line) + 1
        self.text = "\n".join(out)
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
        return self.spans([span])[0]

    def spans(self, spans: Sequence[dict[str, Any] | None]) -> list[dict[str, Any] | None]:
        """Each span moved as by ``span``."""
        text = self.text
        return [
            None
            if moved is None
            else {**span, "start": moved[0], "end": moved[1], "text": text[moved[0] : moved[1]]}
            for span, moved in zip(spans, self.moves(spans), strict=True)
        ]

    def moves(self, spans: Iterable[dict[str, Any] | None]) -> list[tuple[int, int] | None]:
        """Each span's clean ``(start, end)``, or None, in one loop: it runs for
        every span of every article."""
        raw = self._raw
        clean = self._clean
        masked = self._masked
        out: list[tuple[int, int] | None] = []
        for span in spans:
            moved = None
            if span is not None:
                first = span["start"]
                last = span["end"] - 1
                if last >= first:
                    i = bisect_right(raw, first) - 1
                    if i >= 0 and not masked[first].isspace() and not masked[last].isspace():
                        j = bisect_right(raw, last, i) - 1
                        start = clean[i] + first - raw[i]
                        stop = clean[j] + last - raw[j] + 1
                        if stop > start:
                            moved = (start, stop)
            out.append(moved)
        return out


Quote = tuple[dict[str, Any], Moved, Moved | None, Moved | None]


def _moved(record: dict[str, Any]) -> tuple[str, list[tuple[dict[str, Any], Moved]], list[Quote]]:
    """The clean text, the entities kept with their clean offsets, and the quotes
    kept with those of their content, cue and speaker (a quote whose content
    lies in removed text is dropped)."""
    rebased = Rebased(record["text"], record[LAYER.boilerplate])
    entities = record[LAYER.entities]
    kept = [(e, m) for e, m in zip(entities, rebased.moves(entities), strict=True) if m]
    quotes: list[Quote] = []
    records = record[LAYER.quotes]
    if records:
        move = rebased.moves
        parts = zip(
            records,
            move([q["content"] for q in records]),
            move([q["cue"] for q in records]),
            move([q["speaker"] for q in records]),
            strict=True,
        )
        quotes = [part for part in parts if part[1] is not None]  # type: ignore[misc]
    return rebased.text, kept, quotes


class Builder(Collected):
    """Collects clean rows column by column, label names becoming ids as they
    are read: no row dict, no copy of each span, and no second pass over the
    labels in Arrow."""

    def __init__(self) -> None:
        layers = layer_columns()
        super().__init__(
            "clean", {key: layers[key] for key in ("status", LAYER.entities, LAYER.quotes)}
        )

    def add(self, record: dict[str, Any]) -> None:
        """Add the record's clean row."""
        text, entities, quotes = _moved(record)
        for key, values in self.cols.items():
            values.append(text if key == "text" else record[key])
        self.parts["status"].add(record["status"])
        self.parts[LAYER.entities].add_moved(entities, text)
        self.parts[LAYER.quotes].add_moved(quotes, text)

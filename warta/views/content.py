"""Where an article's content and boilerplate lie, line by line.

The ``boilerplate``, ``ner`` and ``quotes`` configs all need the same picture
of the raw text: its lines, cut wherever a boilerplate span starts or ends, so
that each piece is either content or one category of furniture. It is worked
out here once, in one pass over the lines, with offsets into the raw text.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from warta.schema import LAYER


class Fragment(NamedTuple):
    """A stripped, non-blank piece of one raw line: content (label None) or furniture."""

    start: int
    end: int
    line: int
    label: str | None


def boilerplate_spans(record: dict[str, Any]) -> list[tuple[int, int, str]]:
    """The record's boilerplate spans as sorted ``(start, end, label)``."""
    return sorted((b["start"], b["end"], b["label"]) for b in record[LAYER.boilerplate])


def _stripped(text: str, start: int, end: int) -> tuple[int, int] | None:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    if left == len(piece):
        return None
    return start + left, start + len(piece.rstrip())


# The last text and spans given to ``fragments``, with the answer: the
# boilerplate, ner and quotes configs each ask for the same article in turn.
_LAST: list[Any] = [None, None, (), ()]


def fragments(text: str, spans: list[tuple[int, int, str]]) -> tuple[Fragment, ...]:
    """Every line of ``text`` cut at the boundaries of ``spans`` (sorted, non-overlapping).

    Blank pieces are dropped and the others stripped, so a fragment never
    starts or ends with whitespace, like a span. The last answer is kept and
    given again for an equal text and spans.
    """
    if text == _LAST[0] and spans == _LAST[1]:
        return _LAST[2]
    found = tuple(_fragments(text, spans))
    _LAST[:] = [text, list(spans), found, tuple(f for f in found if f.label is None)]
    return found


def content_fragments(text: str, spans: list[tuple[int, int, str]]) -> tuple[Fragment, ...]:
    """The content fragments (label None) among ``fragments(text, spans)``."""
    fragments(text, spans)
    return _LAST[3]


def _fragments(text: str, spans: list[tuple[int, int, str]]) -> list[Fragment]:
    out: list[Fragment] = []
    j, count = 0, len(spans)
    line_start = 0
    for number, line in enumerate(text.split("\n")):
        ls = line_start
        le = ls + len(line)
        line_start = le + 1
        while j < count and spans[j][1] <= ls:
            j += 1
        if j == count or spans[j][0] >= le:
            # No span touches the line, as for most: the line is one piece.
            left = len(line) - len(line.lstrip())
            if left < len(line):
                out.append(Fragment(ls + left, ls + len(line.rstrip()), number, None))
            continue
        pieces: list[tuple[int, int, str | None]] = []
        pos = ls
        while pos < le:
            if j < count and spans[j][0] < le:
                s, e, label = spans[j]
                if s > pos:
                    pieces.append((pos, s, None))
                pieces.append((max(s, pos), min(e, le), label))
                pos = min(e, le)
                if e > le:
                    break  # the span runs on into the next line: keep it
                j += 1
            else:
                pieces.append((pos, le, None))
                break
        for start, end, label in pieces:
            bounds = _stripped(text, start, end)
            if bounds is not None:
                out.append(Fragment(bounds[0], bounds[1], number, label))
    return out

"""The ``quotes`` config: one row per quote, with the paragraph its content sits in.

Quote attribution models read a paragraph, not a whole page, so each quote
comes with its paragraph: the content's line (lines, when the content runs
over a line break) cut at the boilerplate around the content, stripped.
Offsets stay those of the raw text, so rows join back to ``articles``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from warta.views.content import Fragment, boilerplate_spans, fragments


def _paragraph(text: str, content: list[Fragment], start: int, end: int) -> dict[str, Any]:
    """From the first content fragment touching [start, end) to the last one."""
    starts = [f.start for f in content]
    first = max(bisect_right(starts, start) - 1, 0)
    last = max(bisect_right(starts, end - 1) - 1, first)
    p_start = min(content[first].start, start) if content else start
    p_end = max(content[last].end, end) if content else end
    return {"start": p_start, "end": p_end, "text": text[p_start:p_end]}


def rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The quotes of one ``articles`` record, in text order."""
    quotes = record["quotes"]
    if not quotes:
        return
    text = record["text"]
    aid = record["id"]
    status = record["status"]["quotes"]
    content = [f for f in fragments(text, boilerplate_spans(record)) if f.label is None]
    for quote in quotes:
        span = quote["content"]
        yield {
            "id": quote["id"],
            "article_id": aid,
            "kind": quote["kind"],
            "content": span,
            "cue": quote["cue"],
            "speaker": quote["speaker"],
            "speaker_name": quote["speaker_name"],
            "paragraph": _paragraph(text, content, span["start"], span["end"]),
            "status": status,
        }

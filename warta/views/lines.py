"""The ``boilerplate`` config: one row per line, or per fragment of a line, of the raw text.

A line-level classifier of page furniture is the usual way to clean scraped
news, so this config gives each line its label. Lines that hold glued
furniture are cut at the span boundaries, so every row has one label and the
rows' boilerplate labels cover the boilerplate spans exactly (but for
whitespace).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from warta.views.content import boilerplate_spans, fragments

CONTENT = "content"


def rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The labelled lines and fragments of one ``articles`` record, in text order."""
    text = record["text"]
    aid = record["id"]
    status = record["status"]["boilerplate"]
    for frag in fragments(text, boilerplate_spans(record)):
        yield {
            "id": f"{aid}:l{frag.start}-{frag.end}",
            "article_id": aid,
            "line": frag.line,
            "start": frag.start,
            "end": frag.end,
            "text": text[frag.start : frag.end],
            "label": frag.label or CONTENT,
            "status": status,
        }

"""The ``quotes`` config: one row per quote, with the paragraph its content sits in.

Quote attribution models read a paragraph, not a whole page, so each quote
comes with its paragraph: the content's line (lines, when the content runs
over a line break) cut at the boilerplate around the content, stripped.
Offsets stay those of the raw text, so rows join back to ``articles``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from warta.export.parquet import Columns
from warta.schema import LAYER
from warta.views.columns import SpanColumns, piece_of
from warta.views.content import boilerplate_spans, content_fragments


def _paragraph(
    text: str, starts: list[int], ends: list[int], start: int, end: int
) -> dict[str, Any]:
    """From the first content fragment touching [start, end) to the last one.

    ``starts`` and ``ends`` are the content fragments' bounds, made once per article.
    """
    if not starts:
        return {"start": start, "end": end, "text": text[start:end]}
    first = max(bisect_right(starts, start) - 1, 0)
    last = max(bisect_right(starts, end - 1, first) - 1, first)
    p_start = min(starts[first], start)
    p_end = max(ends[last], end)
    return {"start": p_start, "end": p_end, "text": text[p_start:p_end]}


def _rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The quotes of one ``articles`` record, in text order."""
    quotes = record[LAYER.quotes]
    if not quotes:
        return
    text = record["text"]
    aid = record["id"]
    status = record["status"][LAYER.quotes]
    content = content_fragments(text, boilerplate_spans(record))
    starts = [f.start for f in content]
    ends = [f.end for f in content]
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
            "paragraph": _paragraph(text, starts, ends, span["start"], span["end"]),
            "status": status,
        }


class Builder:
    """Collects the quotes of many records, in text order, column by column with
    label ids."""

    def __init__(self) -> None:
        from warta import schema

        self._kinds = schema.label_ids("quote_kind")
        self._status = schema.label_ids("layer_status")
        spans = schema.span_fields("quote")
        self.cols: dict[str, list[Any]] = {
            key: [] for key in schema.record_fields("quote") if key not in spans
        }
        self.parts = {key: SpanColumns() for key in spans}

    def add(self, record: dict[str, Any]) -> None:
        """Add the record's quotes."""
        found = list(_rows(record))
        if not found:
            return
        cols = self.cols
        kinds = self._kinds
        status = self._status[record["status"][LAYER.quotes]]
        cols["id"] += map(itemgetter("id"), found)
        cols["article_id"] += map(itemgetter("article_id"), found)
        cols["kind"] += [kinds[row["kind"]] for row in found]
        cols["speaker_name"] += map(itemgetter("speaker_name"), found)
        cols["status"] += [status] * len(found)
        offset = piece_of(record)[0]
        for key, columns in self.parts.items():
            columns.add_spans(list(map(itemgetter(key), found)), offset)

    def __len__(self) -> int:
        return len(self.cols["id"])

    def columns(self) -> Columns:
        """The rows added so far, for :func:`warta.export.parquet.table_from_columns`."""
        return {
            **self.cols,
            **{key: spans.columns() for key, spans in self.parts.items()},
        }

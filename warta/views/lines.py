"""The ``boilerplate`` config: one row per line, or per fragment of a line, of the raw text.

A line-level classifier of page furniture is the usual way to clean scraped
news, so this config gives each line its label. Lines that hold glued
furniture are cut at the span boundaries, so every row has one label and the
rows' boilerplate labels cover the boilerplate spans exactly (but for
whitespace).
"""

from __future__ import annotations

from typing import Any

from warta.export.parquet import Columns
from warta.schema import LAYER, definition
from warta.views.columns import piece_of
from warta.views.content import boilerplate_spans, fragments

CONTENT = definition("line_label")["x-first"]
"""The label of a line or fragment that is no furniture (the schema's first line label)."""


class Builder:
    """Collects the labelled lines and fragments of many records, in text order,
    column by column with label ids: a row per line is many small rows."""

    def __init__(self) -> None:
        from warta import schema

        self._labels = schema.label_ids("line_label")
        self._status = schema.label_ids("layer_status")
        self.cols: dict[str, list[Any]] = {key: [] for key in schema.record_fields("line")}

    def add(self, record: dict[str, Any]) -> None:
        """Add the record's lines and fragments."""
        text = record["text"]
        aid = record["id"]
        frags = fragments(text, boilerplate_spans(record))
        if not frags:
            return
        starts, ends, numbers, labels = zip(*frags, strict=True)
        cols = self.cols
        cols["text"] += [text[s:e] for s, e in zip(starts, ends, strict=True)]
        offset, line = piece_of(record)
        if offset or line:
            starts = tuple(s + offset for s in starts)
            ends = tuple(e + offset for e in ends)
            numbers = tuple(n + line for n in numbers)
        cols["id"] += [f"{aid}:l{s}-{e}" for s, e in zip(starts, ends, strict=True)]
        cols["article_id"] += [aid] * len(frags)
        cols["line"] += numbers
        cols["start"] += starts
        cols["end"] += ends
        ids = self._labels
        content = ids[CONTENT]
        cols["label"] += [content if label is None else ids[label] for label in labels]
        cols["status"] += [self._status[record["status"][LAYER.boilerplate]]] * len(frags)

    def __len__(self) -> int:
        return len(self.cols["id"])

    def columns(self) -> Columns:
        """The rows added so far, for :func:`warta.export.parquet.table_from_columns`."""
        return self.cols

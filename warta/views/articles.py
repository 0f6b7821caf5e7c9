"""The ``articles`` config: one row per article, the ``articles`` record itself."""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from warta.export.parquet import Columns, Lists
from warta.views.content import SpanColumns

_PLAIN = ("id", "outlet", "url", "title", "published", "language", "story", "text", "text_sha256")
_SPAN_KEYS = ("id", "start", "end", "label", "text")


def rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The record, as it is."""
    yield record


class _SpanLists:
    """A column of lists of labelled spans (``{id, start, end, label, text}``)."""

    def __init__(self, labels: dict[str, int]) -> None:
        self.labels = labels
        self.offsets = [0]
        self.cols: dict[str, list[Any]] = {key: [] for key in _SPAN_KEYS}

    def add(self, spans: list[dict[str, Any]]) -> None:
        cols = self.cols
        if spans:
            for key in ("id", "start", "end", "text"):
                cols[key] += map(itemgetter(key), spans)
            cols["label"] += map(self.labels.__getitem__, map(itemgetter("label"), spans))
        self.offsets.append(len(cols["id"]))

    def columns(self) -> Lists:
        return Lists(self.offsets, self.cols)


class Builder:
    """Collects ``articles`` records column by column, label names becoming ids
    as they are read (see :class:`warta.views.Builder`)."""

    def __init__(self) -> None:
        from warta import schema

        self._status = schema.label_ids("layer_status")
        self._kinds = schema.label_ids("quote_kind")
        self.cols: dict[str, list[Any]] = {key: [] for key in _PLAIN}
        self.people: dict[str, tuple[list[int], list[str]]] = {
            key: ([0], []) for key in ("authors", "editors")
        }
        self.status: dict[str, list[int]] = {k: [] for k in ("boilerplate", "entities", "quotes")}
        self.boilerplate = _SpanLists(schema.label_ids("boilerplate_label"))
        self.entities = _SpanLists(schema.label_ids("entity_label"))
        self.quotes: dict[str, list[Any]] = {k: [] for k in ("id", "kind", "speaker_name")}
        self.parts = {key: SpanColumns() for key in ("content", "cue", "speaker")}
        self.quote_offsets = [0]

    def add(self, record: dict[str, Any]) -> None:
        """Add one record."""
        for key, values in self.cols.items():
            values.append(record[key])
        for key, (offsets, names) in self.people.items():
            names += record[key]
            offsets.append(len(names))
        for layer, values in self.status.items():
            values.append(self._status[record["status"][layer]])
        self.boilerplate.add(record["boilerplate"])
        self.entities.add(record["entities"])
        quotes = record["quotes"]
        q = self.quotes
        if quotes:
            q["id"] += map(itemgetter("id"), quotes)
            q["kind"] += map(self._kinds.__getitem__, map(itemgetter("kind"), quotes))
            q["speaker_name"] += map(itemgetter("speaker_name"), quotes)
            for key, columns in self.parts.items():
                for quote in quotes:
                    columns.add_span(quote[key])
        self.quote_offsets.append(len(q["id"]))

    def __len__(self) -> int:
        return len(self.cols["id"])

    def columns(self) -> Columns:
        """The records added so far, for :func:`warta.export.parquet.table_from_columns`."""
        parts = {key: spans.columns() for key, spans in self.parts.items()}
        return {
            **self.cols,
            **{key: Lists(offsets, names) for key, (offsets, names) in self.people.items()},
            "status": self.status,
            "boilerplate": self.boilerplate.columns(),
            "entities": self.entities.columns(),
            "quotes": Lists(self.quote_offsets, {**self.quotes, **parts}),
        }

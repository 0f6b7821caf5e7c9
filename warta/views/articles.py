"""The ``articles`` config: one row per article, the ``articles`` record itself."""

from __future__ import annotations

from typing import Any

from warta.export.parquet import Columns, Lists
from warta.views.columns import QuoteLists, SpanLists, StatusColumns

_PLAIN = ("id", "outlet", "url", "title", "published", "language", "story", "text", "text_sha256")


class Builder:
    """Collects ``articles`` records column by column, label names becoming ids
    as they are read (see :class:`warta.views.Builder`)."""

    def __init__(self) -> None:
        from warta import schema

        self.cols: dict[str, list[Any]] = {key: [] for key in _PLAIN}
        self.people: dict[str, tuple[list[int], list[str]]] = {
            key: ([0], []) for key in ("authors", "editors")
        }
        self.status = StatusColumns(schema.label_ids("layer_status"))
        self.boilerplate = SpanLists(schema.label_ids("boilerplate_label"))
        self.entities = SpanLists(schema.label_ids("entity_label"))
        self.quotes = QuoteLists(schema.label_ids("quote_kind"))

    def add(self, record: dict[str, Any]) -> None:
        """Add one record."""
        for key, values in self.cols.items():
            values.append(record[key])
        for key, (offsets, names) in self.people.items():
            names += record[key]
            offsets.append(len(names))
        self.status.add(record["status"])
        self.boilerplate.add(record["boilerplate"])
        self.entities.add(record["entities"])
        self.quotes.add(record["quotes"])

    def __len__(self) -> int:
        return len(self.cols["id"])

    def columns(self) -> Columns:
        """The records added so far, for :func:`warta.export.parquet.table_from_columns`."""
        return {
            **self.cols,
            **{key: Lists(offsets, names) for key, (offsets, names) in self.people.items()},
            "status": self.status.columns(),
            "boilerplate": self.boilerplate.columns(),
            "entities": self.entities.columns(),
            "quotes": self.quotes.columns(),
        }

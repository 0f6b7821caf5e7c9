"""The ``articles`` config: one row per article, the ``articles`` record itself."""

from __future__ import annotations

from typing import Any

from warta.views.columns import Collected, StringLists, layer_columns


class Builder(Collected):
    """Collects ``articles`` records column by column, label names becoming ids
    as they are read (see :class:`warta.views.Builder`)."""

    def __init__(self) -> None:
        people = {"authors": StringLists(), "editors": StringLists()}
        super().__init__("article", people | layer_columns())

    def add(self, record: dict[str, Any]) -> None:
        """Add one record."""
        for key, values in self.cols.items():
            values.append(record[key])
        for key, part in self.parts.items():
            part.add(record[key])

"""The released configs: each one a record schema and a way to derive its rows.

Every config's rows are derived from the ``articles`` record of one article,
so all configs of a release agree with each other by construction. ``rows``
defines a config one row dict at a time (the tests validate those rows against
the config's JSON Schema); ``builder`` makes the same rows column by column,
label ids included, which is what the build writes: turning a dict per row
into Arrow cost more than deriving the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from warta.export.parquet import Columns
from warta.views import articles, clean, lines, ner, quotes

Row = dict[str, Any]


class Builder(Protocol):
    """Collects many records' rows of one config column by column (see ``Config.builder``)."""

    def add(self, record: Row) -> None: ...

    def __len__(self) -> int: ...

    def columns(self) -> Columns: ...


@dataclass(frozen=True)
class Config:
    """One released config: its schema name and how an article becomes rows."""

    schema: str
    rows: Callable[[Row], Iterable[Row]]
    default: bool = False
    prepare: Callable[[], object] | None = None
    """Loads what ``rows`` needs (such as the spaCy pipeline) ahead of time."""
    builder: Callable[[], Builder] | None = None
    """Makes the same rows as ``rows``, column by column (a test checks the
    two agree); without one, the build converts the row dicts."""


CONFIGS: dict[str, Config] = {
    "articles": Config(
        schema="article", rows=articles.rows, default=True, builder=articles.Builder
    ),
    "clean": Config(schema="clean", rows=clean.rows, builder=clean.Builder),
    "ner": Config(schema="ner", rows=ner.rows, prepare=ner.pipeline, builder=ner.Builder),
    "quotes": Config(schema="quote", rows=quotes.rows, builder=quotes.Builder),
    "boilerplate": Config(schema="line", rows=lines.rows, builder=lines.Builder),
}


def prepare(configs: Iterable[Config] | None = None) -> None:
    """Load the configs' resources now (default: every config's).

    Call it before forking workers, so they share them.
    """
    for config in CONFIGS.values() if configs is None else configs:
        if config.prepare is not None:
            config.prepare()

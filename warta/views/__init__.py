"""The released configs: each one a record schema and a way to derive its rows.

Every config's rows are derived from the ``articles`` record of one article,
so all configs of a release agree with each other by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Config:
    """One released config: its schema name and how an article becomes rows."""

    schema: str
    rows: Callable[[Row], Iterable[Row]]
    default: bool = False


def _articles(record: Row) -> Iterable[Row]:
    yield record


CONFIGS: dict[str, Config] = {
    "articles": Config(schema="article", rows=_articles, default=True),
}

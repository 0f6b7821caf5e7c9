"""The released configs: each one a record schema and a builder of its rows.

Every config's rows are derived from the ``articles`` record of one article,
so all configs of a release agree with each other by construction. A
config's builder makes its rows column by column, label ids included, which
is what the build writes: turning a dict per row into Arrow cost more than
deriving the rows. :func:`rows` reads them back as dicts in their JSON form
(label names, times as ISO 8601 strings).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from warta.export.parquet import Columns
from warta.views import articles, clean, lines, ner, quotes

if TYPE_CHECKING:
    import pyarrow as pa

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
    builder: Callable[[], Builder]
    default: bool = False
    prepare: Callable[[], object] | None = None
    """Loads what the builder needs (such as the spaCy pipeline) ahead of time."""


CONFIGS: dict[str, Config] = {
    "articles": Config(schema="article", builder=articles.Builder, default=True),
    "clean": Config(schema="clean", builder=clean.Builder),
    "ner": Config(schema="ner", builder=ner.Builder, prepare=ner.pipeline),
    "quotes": Config(schema="quote", builder=quotes.Builder),
    "boilerplate": Config(schema="line", builder=lines.Builder),
}


def prepare(configs: Iterable[Config] | None = None) -> None:
    """Load the configs' resources now (default: every config's).

    Call it before forking workers, so they share them.
    """
    for config in CONFIGS.values() if configs is None else configs:
        if config.prepare is not None:
            config.prepare()


def table(name: str, records: Iterable[Row]) -> pa.Table:
    """One config's rows of some ``articles`` records, as the build makes them."""
    from warta.export.parquet import table_encoder, table_from_columns

    builder = CONFIGS[name].builder()
    for record in records:
        builder.add(record)
    arrow_schema = table_encoder(CONFIGS[name].schema).schema
    return table_from_columns(arrow_schema, builder.columns())


def json_values(value: Any, feature: Any) -> Any:
    """A released value in its records' JSON form, as the schema describes it:
    ``ClassLabel`` ids turned back into names, timestamps into ISO 8601 UTC strings."""
    import datasets

    if value is None:
        return None
    if isinstance(feature, datasets.ClassLabel):
        return feature.int2str(value)
    if isinstance(feature, datasets.List):
        return [json_values(v, feature.feature) for v in value]
    if isinstance(feature, dict):
        return {k: json_values(value[k], f) for k, f in feature.items()}
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return value


def rows(name: str, records: Iterable[Row]) -> list[Row]:
    """One config's rows of some records as dicts in their JSON form (for reading and tests)."""
    from warta import schema

    features = schema.features(CONFIGS[name].schema)
    return [json_values(row, features) for row in table(name, records).to_pylist()]

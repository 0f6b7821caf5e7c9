"""The released configs: each one a record schema and a builder of its rows.

Every config's rows are derived from the ``articles`` record of one article,
so all configs of a release agree with each other by construction. A
config's builder makes its rows column by column, label ids included, which
is what the build writes: turning a dict per row into Arrow cost more than
deriving the rows. :func:`rows` reads them back as dicts in their JSON form
(label names, times as ISO 8601 strings).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from warta.export.parquet import Columns
from warta.schema import LAYER
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
    joined_with: str | None = None
    """For a config of one row per article, what comes between two pieces' texts when
    a long article's pieces' rows are joined into its row (:func:`join`)."""


CONFIGS: dict[str, Config] = {
    "articles": Config(schema="article", builder=articles.Builder, default=True, joined_with=""),
    "clean": Config(schema="clean", builder=clean.Builder, joined_with="\n"),
    "ner": Config(schema="ner", builder=ner.Builder, prepare=ner.pipeline),
    LAYER.quotes: Config(schema="quote", builder=quotes.Builder),
    LAYER.boilerplate: Config(schema="line", builder=lines.Builder),
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


def join(name: str, pieces: Sequence[pa.Table], fields: dict[str, Any]) -> pa.Table:
    """A long article's row in a config of one row per article, from the rows of its
    pieces (see :mod:`warta.records`), as the whole article would give it.

    The pieces' texts are joined with the config's ``joined_with`` (empty ones
    left out: a clean text has no blank line), and their lists of spans and
    quotes one after the other, each span moved by where its piece's text
    starts in the joined one. The other values are the first piece's, but for
    ``fields`` (the title, which depends on every piece).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from warta.schema import LAYERS

    separator = CONFIGS[name].joined_with
    assert separator is not None, f"{name} is not a config of one row per article"
    texts = pa.concat_arrays([piece.column("text").combine_chunks() for piece in pieces])
    lengths = pc.utf8_length(texts).to_pylist()  # code points, as offsets count
    starts, size = [], 0
    for length in lengths:
        size += len(separator) if size and length else 0
        starts.append(size)
        size += length
    texts = texts.filter(pc.greater(pc.utf8_length(texts), 0))
    arrays = []
    schema = pieces[0].schema
    for field in schema:
        if field.name == "text":  # joined by Arrow: an article's text can be megabytes
            listed = pa.ListArray.from_arrays(pa.array([0, len(texts)], pa.int32()), texts)
            arrays.append(pc.binary_join(listed, separator).cast(field.type))
        elif field.name in fields and pa.types.is_timestamp(field.type):
            # Records hold a time as its JSON form (ISO 8601); Arrow parses it.
            arrays.append(pa.array([fields[field.name]], pa.string()).cast(field.type))
        elif field.name in fields:
            arrays.append(pa.array([fields[field.name]], field.type))
        elif field.name in LAYERS:
            values = [
                _moved(piece.column(field.name).combine_chunks().flatten(), start)
                for piece, start in zip(pieces, starts, strict=True)
            ]
            items = pa.concat_arrays(values)
            offsets = pa.array([0, len(items)], pa.int32())
            arrays.append(pa.ListArray.from_arrays(offsets, items, type=field.type))
        else:
            arrays.append(pieces[0].column(field.name))
    return pa.Table.from_arrays(arrays, schema=schema)


def _moved(array: pa.Array, by: int) -> pa.Array:
    """Struct values (spans, quotes) with every ``start`` and ``end`` in them moved by ``by``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not by or not pa.types.is_struct(array.type):
        return array
    children = []
    for i, field in enumerate(array.type):
        child = array.field(i)
        if field.name in ("start", "end"):
            child = pc.add(child, by).cast(field.type)
        else:
            child = _moved(child, by)
        children.append(child)
    mask = array.is_null() if array.null_count else None
    return pa.StructArray.from_arrays(children, fields=list(array.type), mask=mask)


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

"""Writing released records as sharded Parquet that ``datasets`` reads with its labels.

The Arrow schema carries the Hugging Face features in its ``huggingface``
metadata, so a plain ``load_dataset("parquet", data_files=...)`` (and the Hub
viewer) still sees ``ClassLabel`` names. Rows are turned into Arrow tables where
they are made (in the build's worker processes): from the views' flat columns
(:func:`table_from_columns`), or from row dicts whose label names become ids in
one vectorised pass (:class:`TableEncoder`). The writer only cuts the stream of
tables into row groups and shards of bounded size (in bytes, with row caps), so
memory does not grow with the corpus. Every cut is computed from the rows themselves, never
from how they were batched, and files carry no timestamps: the same rows give
the same bytes however many processes made them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

# A row group is cut once its rows reach ROW_GROUP_BYTES (their Arrow size,
# uncompressed) or ROW_GROUP_ROWS, and a shard is closed once it holds
# SHARD_BYTES or SHARD_ROWS. Byte limits keep files and row groups sensible
# whether a config has one row per article or one per sentence; the row
# limits are caps.
ROW_GROUP_BYTES = 8 * 2**20
ROW_GROUP_ROWS = 100_000
SHARD_BYTES = 256 * 2**20
SHARD_ROWS = 1_000_000

Encode = Callable[[pa.Array], pa.Array]


def _label_encoder(feature: datasets.ClassLabel, target: pa.DataType) -> Encode:
    names = pa.array(feature.names, pa.string())

    def encode(array: pa.Array) -> pa.Array:
        ids = pc.index_in(array, value_set=names)
        if ids.null_count != array.null_count:
            unknown = pc.filter(array, pc.and_(ids.is_null(), array.is_valid()))
            raise ValueError(
                f"unknown label {unknown[0].as_py()!r}; the labels are {feature.names}"
            )
        return ids.cast(target)

    return encode


def _with_names(feature: Any, target: pa.DataType) -> tuple[pa.DataType, Encode | None]:
    """The Arrow type of the records' JSON form where ``target`` differs (label names
    where it holds ids, ISO 8601 strings where it holds timestamps), and the encoder."""
    if isinstance(feature, datasets.ClassLabel):
        return pa.string(), _label_encoder(feature, target)
    if pa.types.is_timestamp(target):
        return pa.string(), lambda array: array.cast(target)
    if isinstance(feature, (datasets.List, datasets.Sequence, datasets.LargeList, list)):
        inner = feature[0] if isinstance(feature, list) else feature.feature
        value_field = target.value_field
        value_type, encode_values = _with_names(inner, value_field.type)
        if encode_values is None:
            return target, None
        if not pa.types.is_list(target):
            raise TypeError(f"labels inside {target} are not supported; use a plain list")

        def encode_list(array: pa.Array) -> pa.Array:
            first, last = array.offsets[0].as_py(), array.offsets[-1].as_py()
            values = encode_values(array.values.slice(first, last - first))
            offsets = pc.subtract(array.offsets, first)
            mask = array.is_null() if array.null_count else None
            return pa.ListArray.from_arrays(offsets, values, type=target, mask=mask)

        return pa.list_(value_field.with_type(value_type)), encode_list
    if isinstance(feature, dict):
        fields, encoders = [], []
        for field in target:
            field_type, encode_field = _with_names(feature[field.name], field.type)
            fields.append(field.with_type(field_type))
            encoders.append(encode_field)
        if not any(encoders):
            return target, None

        def encode_struct(array: pa.Array) -> pa.Array:
            children = [
                child if fn is None else fn(child)
                for child, fn in zip(array.flatten(), encoders, strict=True)
            ]
            mask = array.is_null() if array.null_count else None
            return pa.StructArray.from_arrays(children, fields=list(target), mask=mask)

        return pa.struct(fields), encode_struct
    return target, None


class TableEncoder:
    """Rows of one config (label names as strings) to an Arrow table of its schema."""

    def __init__(self, features: datasets.Features) -> None:
        self.schema = features.arrow_schema
        columns = [_with_names(features[f.name], f.type) for f in self.schema]
        self._input = pa.schema(
            [f.with_type(t) for f, (t, _) in zip(self.schema, columns, strict=True)]
        )
        self._encoders = [fn for _, fn in columns]

    def __call__(self, rows: Sequence[dict[str, Any]]) -> pa.Table:
        table = pa.Table.from_pylist(list(rows), schema=self._input)
        arrays = []
        for column, fn in zip(table.columns, self._encoders, strict=True):
            array = column.combine_chunks()
            arrays.append(array if fn is None else fn(array))
        return pa.Table.from_arrays(arrays, schema=self.schema)


class Lists(NamedTuple):
    """A list column given flat: every row's items in ``values``, row ``i`` being
    ``values[offsets[i]:offsets[i + 1]]``.

    Columns that share one ``offsets`` list (tokens, tags and token offsets of
    the same sentences) share one Arrow offsets buffer too.
    """

    offsets: Sequence[int]
    values: Sequence[Any]


class Nullable(NamedTuple):
    """A struct column whose rows may be null: ``valid[i]`` is False for a null row,
    whose fields hold None."""

    valid: Sequence[bool]
    fields: dict[str, Any]


Columns = dict[str, Any]
"""A config's rows column by column: a list of values (label ids for a
``ClassLabel``), a :class:`Lists`, or, for a struct, a ``Columns`` of its
fields or a :class:`Nullable`."""


def _integers(values: Sequence[int], kind: pa.DataType) -> pa.Array:
    """Python ints as an Arrow array, through NumPy: ``pa.array`` takes ten times
    longer to fit them into 32 bits. NumPy (2 and later) refuses a value out
    of range."""
    return pa.array(np.array(values, dtype=kind.to_pandas_dtype()), type=kind)


def table_from_columns(schema: pa.Schema, columns: Columns) -> pa.Table:
    """The table of ``schema`` holding ``columns``, built without a Python object per row.

    It equals what :class:`TableEncoder` makes of the same rows as dicts, at a
    fraction of the cost: the views' builders hand over flat lists with label
    ids, so there is no dict per row and no second pass over the labels.
    """
    offsets: dict[tuple[int, bool], tuple[Sequence[int], pa.Array]] = {}

    def array(values: Any, kind: pa.DataType) -> pa.Array:
        if isinstance(values, pa.Array):
            return values if values.type == kind else values.cast(kind)
        if isinstance(values, Lists):
            large = pa.types.is_large_list(kind)
            key = (id(values.offsets), large)
            if key not in offsets:  # the list is kept alive with its array, so ids stay unique
                width = pa.int64() if large else pa.int32()
                offsets[key] = (values.offsets, _integers(values.offsets, width))
            items = array(values.values, kind.value_type)
            maker = pa.LargeListArray if large else pa.ListArray
            return maker.from_arrays(offsets[key][1], items, type=kind)
        if pa.types.is_struct(kind):
            mask = None
            if isinstance(values, Nullable):
                mask = pc.invert(pa.array(values.valid, pa.bool_()))
                values = values.fields
            children = [array(values[field.name], field.type) for field in kind]
            return pa.StructArray.from_arrays(children, fields=list(kind), mask=mask)
        if pa.types.is_timestamp(kind):
            # Records hold a time as its JSON form, ISO 8601 with an offset; Arrow parses it.
            return pa.array(values, pa.string()).cast(kind)
        if pa.types.is_integer(kind):
            try:
                return _integers(values, kind)
            except TypeError:  # a null among them: NumPy has none
                pass
        return pa.array(values, kind)

    arrays = [array(columns[field.name], field.type) for field in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


@cache
def table_encoder(features_of: str) -> TableEncoder:
    """The encoder of a record schema (``article``, ``ner``...), made once per process."""
    from warta import schema

    return TableEncoder(schema.features(features_of))


def row_sizes(array: pa.Array) -> np.ndarray:
    """Each element's Arrow size in bytes (values, offsets; not validity bits).

    Computed element by element, so a row's size does not depend on the table
    it arrived in: row-group cuts made from these sizes depend only on the rows.
    """
    kind = array.type
    n = len(array)
    if pa.types.is_struct(kind):
        sizes = np.zeros(n, dtype=np.int64)
        for child in array.flatten():
            sizes += row_sizes(child)
        return sizes
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        width = 4 if pa.types.is_list(kind) else 8
        offsets = array.offsets.to_numpy()
        first = int(offsets[0])
        values = array.values.slice(first, int(offsets[-1]) - first)
        # Sums over each element's range of values, from running totals.
        totals = np.concatenate(([0], np.cumsum(row_sizes(values))))
        return width + totals[offsets[1:] - first] - totals[offsets[:-1] - first]
    large = pa.types.is_large_string(kind) or pa.types.is_large_binary(kind)
    if large or pa.types.is_string(kind) or pa.types.is_binary(kind):
        lengths = pc.binary_length(array).fill_null(0).to_numpy(zero_copy_only=False)
        return lengths.astype(np.int64) + (8 if large else 4)
    if pa.types.is_null(kind):
        return np.zeros(n, dtype=np.int64)
    return np.full(n, max(1, kind.bit_width // 8), dtype=np.int64)


def table_row_sizes(table: pa.Table) -> np.ndarray:
    """Each row's Arrow size in bytes."""
    sizes = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        start = 0
        for chunk in column.chunks:
            sizes[start : start + len(chunk)] += row_sizes(chunk)
            start += len(chunk)
    return sizes


def table_to_bytes(table: pa.Table) -> bytes:
    """A table in Arrow's IPC stream format."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def table_from_bytes(data: bytes) -> pa.Table:
    """The table :func:`table_to_bytes` wrote."""
    return pa.ipc.open_stream(data).read_all()


def shard_name(split: str, index: int, total: int) -> str:
    """The Hub's shard naming: ``<split>-NNNNN-of-NNNNN.parquet``."""
    return f"{split}-{index:05d}-of-{total:05d}.parquet"


class SplitWriter:
    """Streams one config's split into Parquet shards under a folder.

    It takes Arrow tables of its schema, label ids included (as made by
    :func:`table_from_columns` or :class:`TableEncoder`). Memory holds at most
    one row group of Arrow data and the table being added. Every cut depends
    only on the sequence of rows, so the same rows give the same files however
    they were batched.
    """

    def __init__(
        self,
        folder: Path,
        split: str,
        features: datasets.Features,
        shard_rows: int = SHARD_ROWS,
        row_group_rows: int = ROW_GROUP_ROWS,
        shard_bytes: int = SHARD_BYTES,
        row_group_bytes: int = ROW_GROUP_BYTES,
    ) -> None:
        self.folder = folder
        self.split = split
        self.schema = features.arrow_schema
        self.shard_rows = shard_rows
        self.row_group_rows = min(row_group_rows, shard_rows)
        self.shard_bytes = shard_bytes
        self.row_group_bytes = row_group_bytes
        self.rows = 0
        self.bytes = 0
        self._pending: list[pa.Table] = []
        self._sizes: list[np.ndarray] = []
        self._pending_rows = 0
        self._pending_bytes = 0
        self._writer: pq.ParquetWriter | None = None
        self._in_shard = 0
        self._shard_bytes = 0
        self._parts: list[Path] = []

    def _open(self) -> pq.ParquetWriter:
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            part = self.folder / f".{self.split}-{len(self._parts):05d}.partial"
            self._parts.append(part)
            self._writer = pq.ParquetWriter(
                part,
                self.schema,
                compression="zstd",
                use_dictionary=True,
                write_statistics=True,
                store_schema=True,
            )
        return self._writer

    def write_table(self, table: pa.Table, sizes: np.ndarray | None = None) -> None:
        """Add rows in Arrow (label ids).

        ``sizes`` are the rows' :func:`table_row_sizes`, if already known.
        """
        if not table.num_rows:
            return
        if table.schema != self.schema:
            table = table.cast(self.schema)
        if sizes is None:
            sizes = table_row_sizes(table)
        self._pending.append(table)
        self._sizes.append(sizes)
        self._pending_rows += table.num_rows
        self._pending_bytes += int(sizes.sum())
        self.rows += table.num_rows
        self.bytes += int(sizes.sum())
        while self._pending_rows:
            room = min(self.row_group_rows, self.shard_rows - self._in_shard)
            if self._pending_rows < room and self._pending_bytes < self.row_group_bytes:
                break
            sizes = np.concatenate(self._sizes)
            # The first row at which the group reaches the byte limit closes it.
            by_bytes = int(np.searchsorted(np.cumsum(sizes), self.row_group_bytes)) + 1
            self._write_group(min(room, by_bytes))

    def _write_group(self, count: int) -> None:
        """Write the first ``count`` pending rows as one row group."""
        table = pa.concat_tables(self._pending)
        sizes = np.concatenate(self._sizes)
        head = table.slice(0, count).combine_chunks()
        self._open().write_table(head, row_group_size=max(1, count))
        group_bytes = int(sizes[:count].sum())
        rest = table.slice(count)
        self._pending = [rest] if rest.num_rows else []
        self._sizes = [sizes[count:]] if rest.num_rows else []
        self._pending_rows -= count
        self._pending_bytes -= group_bytes
        self._in_shard += count
        self._shard_bytes += group_bytes
        if self._in_shard >= self.shard_rows or self._shard_bytes >= self.shard_bytes:
            self._close_shard()

    def _close_shard(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        # The next group is the first of a new shard: its room starts afresh.
        self._in_shard = 0
        self._shard_bytes = 0

    def close(self) -> list[Path]:
        """Finish the last shard and give the shards their final names."""
        if self._pending_rows:
            self._write_group(self._pending_rows)
        self._close_shard()
        total = len(self._parts)
        final = []
        for i, part in enumerate(self._parts):
            target = self.folder / shard_name(self.split, i, total)
            os.replace(part, target)
            final.append(target)
        return final

"""Writing released records as sharded Parquet that ``datasets`` reads with its labels.

The Arrow schema carries the Hugging Face features in its ``huggingface``
metadata, so a plain ``load_dataset("parquet", data_files=...)`` (and the Hub
viewer) still sees ``ClassLabel`` names. Rows are streamed into row groups and
shards of bounded size (in bytes, with row caps), so memory does not grow with
the corpus. Files carry no timestamps, so the same records give the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
import pyarrow.parquet as pq

# Rows are converted to Arrow in batches of about BATCH_BYTES (at most
# BATCH_ROWS rows: Python rows take several times their Arrow size); a row group
# is written once its batches reach ROW_GROUP_BYTES (uncompressed), and a shard
# is closed at SHARD_BYTES. Byte limits keep files and row groups sensible
# whether a config has one row per article or one per sentence, and bound the
# writer's memory; the row limits are caps.
BATCH_BYTES = 512 * 2**10
BATCH_ROWS = 1_000
ROW_GROUP_BYTES = 8 * 2**20
ROW_GROUP_ROWS = 100_000
SHARD_BYTES = 256 * 2**20
SHARD_ROWS = 1_000_000


def label_encoder(feature: Any) -> Callable[[Any], Any] | None:
    """A function turning label names into ClassLabel ids for one feature, or None."""
    if isinstance(feature, datasets.ClassLabel):
        index = {name: i for i, name in enumerate(feature.names)}
        return lambda value: None if value is None else index[value]
    if isinstance(feature, (datasets.List, datasets.Sequence, datasets.LargeList)):
        inner = label_encoder(feature.feature)
        if inner is None:
            return None
        return lambda value: None if value is None else [inner(v) for v in value]
    if isinstance(feature, list):
        inner = label_encoder(feature[0])
        if inner is None:
            return None
        return lambda value: None if value is None else [inner(v) for v in value]
    if isinstance(feature, dict):
        parts = {k: label_encoder(v) for k, v in feature.items()}
        parts = {k: f for k, f in parts.items() if f is not None}
        if not parts:
            return None

        def encode(value: Any) -> Any:
            if value is None:
                return None
            out = dict(value)
            for key, fn in parts.items():
                out[key] = fn(value.get(key))
            return out

        return encode
    return None


def record_encoder(features: datasets.Features) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Encode a record's label names as ids, leaving everything else as it is."""
    encoders = {k: label_encoder(v) for k, v in features.items()}
    encoders = {k: f for k, f in encoders.items() if f is not None}

    def encode(record: dict[str, Any]) -> dict[str, Any]:
        out = dict(record)
        for key, fn in encoders.items():
            out[key] = fn(record[key])
        return out

    return encode


def shard_name(split: str, index: int, total: int) -> str:
    """The Hub's shard naming: ``<split>-NNNNN-of-NNNNN.parquet``."""
    return f"{split}-{index:05d}-of-{total:05d}.parquet"


class SplitWriter:
    """Streams one config's split into Parquet shards under a folder.

    Memory holds at most one batch of rows (about BATCH_BYTES once converted)
    and one row group of Arrow data.
    Every boundary depends only on the sequence of rows, so the same rows give
    the same files however they were produced.
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
        batch_rows: int = BATCH_ROWS,
        batch_bytes: int = BATCH_BYTES,
    ) -> None:
        self.folder = folder
        self.split = split
        self.schema = features.arrow_schema
        self.encode = record_encoder(features)
        self.shard_rows = shard_rows
        self.row_group_rows = min(row_group_rows, shard_rows)
        self.shard_bytes = shard_bytes
        self.row_group_bytes = row_group_bytes
        self.batch_rows = batch_rows
        self.batch_bytes = batch_bytes
        # Rows per batch, adapted to the size of the rows converted so far.
        self._batch_limit = min(batch_rows, 64)
        self.rows = 0
        self.bytes = 0
        self._buffer: list[dict[str, Any]] = []
        self._group: list[pa.Table] = []
        self._group_rows = 0
        self._group_bytes = 0
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
            self._in_shard = 0
            self._shard_bytes = 0
        return self._writer

    def _convert(self) -> None:
        """Turn the buffered rows into Arrow, and write a row group once it is full."""
        if not self._buffer:
            return
        table = pa.Table.from_pylist(self._buffer, schema=self.schema)
        self._buffer = []
        self.bytes += table.nbytes
        per_row = max(1, table.nbytes // table.num_rows)
        self._batch_limit = min(self.batch_rows, max(16, self.batch_bytes // per_row))
        self._group.append(table)
        self._group_rows += table.num_rows
        self._group_bytes += table.nbytes
        shard_full = self._in_shard + self._group_rows >= self.shard_rows
        group_full = self._group_rows >= self.row_group_rows
        if shard_full or group_full or self._group_bytes >= self.row_group_bytes:
            self._write_group()

    def _write_group(self) -> None:
        if not self._group:
            return
        table = pa.concat_tables(self._group)
        self._open().write_table(table, row_group_size=table.num_rows)
        self._in_shard += table.num_rows
        self._shard_bytes += self._group_bytes
        self._group, self._group_rows, self._group_bytes = [], 0, 0
        if self._in_shard >= self.shard_rows or self._shard_bytes >= self.shard_bytes:
            self._close_shard()

    def _close_shard(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def write(self, record: dict[str, Any]) -> None:
        """Add one record (label names as strings)."""
        self._buffer.append(self.encode(record))
        self.rows += 1
        pending = self._group_rows + len(self._buffer)
        room = min(self.row_group_rows - pending, self.shard_rows - self._in_shard - pending)
        if len(self._buffer) >= self._batch_limit or room <= 0:
            self._convert()

    def close(self) -> list[Path]:
        """Finish the last shard and give the shards their final names."""
        self._convert()
        self._write_group()
        self._close_shard()
        total = len(self._parts)
        final = []
        for i, part in enumerate(self._parts):
            target = self.folder / shard_name(self.split, i, total)
            os.replace(part, target)
            final.append(target)
        return final

"""Writing released records as sharded Parquet that ``datasets`` reads with its labels.

The Arrow schema carries the Hugging Face features in its ``huggingface``
metadata, so a plain ``load_dataset("parquet", data_files=...)`` (and the Hub
viewer) still sees ``ClassLabel`` names. Rows are streamed into row groups and
shards of bounded size, so memory does not grow with the corpus. Files carry
no timestamps, so the same records give the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_ROWS = 1_000
SHARD_ROWS = 50_000


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
    """Streams one config's split into Parquet shards under a folder."""

    def __init__(
        self,
        folder: Path,
        split: str,
        features: datasets.Features,
        shard_rows: int = SHARD_ROWS,
        row_group_rows: int = ROW_GROUP_ROWS,
    ) -> None:
        self.folder = folder
        self.split = split
        self.schema = features.arrow_schema
        self.encode = record_encoder(features)
        self.shard_rows = shard_rows
        self.row_group_rows = row_group_rows
        self.rows = 0
        self.bytes = 0
        self._buffer: list[dict[str, Any]] = []
        self._writer: pq.ParquetWriter | None = None
        self._in_shard = 0
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
        return self._writer

    def _flush(self) -> None:
        if not self._buffer:
            return
        table = pa.Table.from_pylist(self._buffer, schema=self.schema)
        self.bytes += table.nbytes
        self._open().write_table(table, row_group_size=self.row_group_rows)
        self._in_shard += len(self._buffer)
        self._buffer = []
        if self._in_shard >= self.shard_rows:
            self._close_shard()

    def _close_shard(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def write(self, record: dict[str, Any]) -> None:
        """Add one record (label names as strings)."""
        self._buffer.append(self.encode(record))
        self.rows += 1
        room = min(self.row_group_rows, self.shard_rows - self._in_shard)
        if len(self._buffer) >= room:
            self._flush()

    def close(self) -> list[Path]:
        """Finish the last shard and give the shards their final names."""
        self._flush()
        self._close_shard()
        total = len(self._parts)
        final = []
        for i, part in enumerate(self._parts):
            target = self.folder / shard_name(self.split, i, total)
            os.replace(part, target)
            final.append(target)
        return final

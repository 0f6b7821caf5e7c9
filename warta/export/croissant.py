"""``croissant.json``: the release described in MLCommons Croissant (JSON-LD).

Built with ``mlcroissant``'s own node classes, so the output has the form its
validator and loaders expect. Each config is a file set of Parquet shards and
a record set whose fields mirror the config's features; every shard is also
listed as a file object with its SHA-256.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import datasets
import mlcroissant as mlc

from warta.export.card import ConfigInfo
from warta.text import sha256_file

_VALUE_TYPES = {
    "string": mlc.DataType.TEXT,
    "large_string": mlc.DataType.TEXT,
    "bool": mlc.DataType.BOOL,
    "int8": mlc.DataType.INT8,
    "int16": mlc.DataType.INT16,
    "int32": mlc.DataType.INT32,
    "int64": mlc.DataType.INT64,
    "float32": mlc.DataType.FLOAT32,
    "float64": mlc.DataType.FLOAT64,
}

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


def _field(
    file_set: str, field_id: str, name: str, column: str, feature: Any, path: list[str]
) -> mlc.Field:
    """One Croissant field for a feature, with sub-fields for structs."""

    def source() -> mlc.Source:
        transforms = [mlc.Transform(json_path=p) for p in path]
        return mlc.Source(
            file_set=file_set, extract=mlc.Extract(column=column), transforms=transforms
        )

    is_array = False
    while isinstance(feature, (datasets.List, datasets.LargeList, datasets.Sequence)):
        is_array = True
        feature = feature.feature
    extra: dict[str, Any] = {"is_array": True, "array_shape": "-1"} if is_array else {}
    if isinstance(feature, datasets.ClassLabel):
        names = ", ".join(f"{i}={n}" for i, n in enumerate(feature.names))
        return mlc.Field(
            id=field_id,
            name=name,
            description=f"class label: {names}",
            data_types=[mlc.DataType.INTEGER],
            source=source(),
            **extra,
        )
    if isinstance(feature, dict):
        subs = [
            _field(file_set, f"{field_id}/{key}", key, column, sub, [*path, key])
            for key, sub in feature.items()
        ]
        return mlc.Field(id=field_id, name=name, sub_fields=subs, **extra)
    dtype = _VALUE_TYPES.get(getattr(feature, "dtype", ""), mlc.DataType.TEXT)
    return mlc.Field(id=field_id, name=name, data_types=[dtype], source=source(), **extra)


def metadata(folder: Path, configs: list[ConfigInfo], version: str) -> dict[str, Any]:
    """The Croissant JSON-LD of a release folder whose Parquet files are written."""
    distribution: list[Any] = []
    record_sets = []
    for config in configs:
        if not config.files:
            continue
        set_id = f"{config.name}-parquet"
        distribution.append(
            mlc.FileSet(
                id=set_id,
                name=set_id,
                description=f"Parquet shards of the {config.name} config",
                encoding_formats=["application/x-parquet"],
                includes=[f"{config.name}/*.parquet"],
            )
        )
        fields = [
            _field(set_id, f"{config.name}/{key}", key, key, feature, [])
            for key, feature in config.features.items()
        ]
        record_sets.append(
            mlc.RecordSet(
                id=config.name,
                name=config.name,
                description=f"One row per record of the {config.name} config.",
                fields=fields,
            )
        )
    for config in configs:
        for files in config.files.values():
            for rel in files:
                path = folder / rel
                distribution.append(
                    mlc.FileObject(
                        id=rel,
                        name=rel,
                        content_url=rel,
                        content_size=f"{path.stat().st_size} B",
                        encoding_formats=["application/x-parquet"],
                        sha256=sha256_file(path),
                    )
                )
    meta = mlc.Metadata(
        name="warta",
        description=(
            "Indonesian news articles as scraped, annotated with boilerplate spans, "
            "named entities and quotes (speaker, cue, content)."
        ),
        url="https://huggingface.co/datasets/warta/warta",
        license=[LICENSE_URL],
        version=version,
        cite_as="Warta: an annotated corpus of Indonesian news, version " + version,
        in_language=["id"],
        keywords=["news", "Indonesian", "named entities", "quotation attribution"],
        distribution=distribution,
        record_sets=record_sets,
    )
    return meta.to_json()

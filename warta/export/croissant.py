"""``croissant.json``: the release described in MLCommons Croissant (JSON-LD).

Built with ``mlcroissant``'s own node classes, so the output has the form its
validator and loaders expect. Each config is a file set of Parquet shards and
a record set whose fields mirror the config's features, plus a ``split`` field
read off each shard's path and referencing the ``splits`` record set (the
Croissant way to say which split a record is in). Every label set is an
enumeration record set (``index`` → ``name``) that the label fields reference,
so a consumer sees categorical values, not prose. Every shard is also listed as
a file object with its SHA-256.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import datasets
import mlcroissant as mlc

from warta import schema
from warta import splits as split_rule
from warta.export.card import LICENCE, LICENCE_URL, ConfigInfo, project_url
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

SPLITS_SET = "splits"


class _Enumerations:
    """The label sets met while describing fields, one enumeration record set each.

    Each is named after the definition in ``schema/defs.schema.json`` whose
    ``enum`` it is (``entity_label``, ``ner_tag``...), so the names are the schema's.
    """

    def __init__(self) -> None:
        self.by_names: dict[tuple[str, ...], str] = {}
        self.schema_names = {
            tuple(node["enum"]): name.replace("_", "-")
            for name, node in schema.document("defs")["$defs"].items()
            if "enum" in node
        }

    def reference(self, names: list[str]) -> mlc.Source:
        """The ``index`` field of the enumeration for ``names`` (made on first use)."""
        key = tuple(names)
        if key not in self.by_names:
            self.by_names[key] = self.schema_names[key]
        return mlc.Source(field=f"{self.by_names[key]}/index")

    def record_sets(self) -> list[mlc.RecordSet]:
        sets = []
        for names, set_id in self.by_names.items():
            sets.append(
                mlc.RecordSet(
                    id=set_id,
                    name=set_id,
                    description="Label names of the class-label fields that reference it.",
                    key=[f"{set_id}/index"],
                    fields=[
                        mlc.Field(
                            id=f"{set_id}/index",
                            name="index",
                            data_types=[mlc.DataType.INTEGER],
                        ),
                        mlc.Field(id=f"{set_id}/name", name="name", data_types=[mlc.DataType.TEXT]),
                    ],
                    data=[
                        {f"{set_id}/index": i, f"{set_id}/name": name}
                        for i, name in enumerate(names)
                    ],
                )
            )
        return sets


def _splits_set(present: list[str]) -> mlc.RecordSet:
    """The ``cr:Split`` record set of the splits this release has."""
    return mlc.RecordSet(
        id=SPLITS_SET,
        name=SPLITS_SET,
        description="The splits of the release; each config's split field references it.",
        data_types=[mlc.DataType.SPLIT],
        key=[f"{SPLITS_SET}/name"],
        fields=[mlc.Field(id=f"{SPLITS_SET}/name", name="name", data_types=[mlc.DataType.TEXT])],
        data=[{f"{SPLITS_SET}/name": split} for split in present],
    )


def _split_field(config: str, file_set: str) -> mlc.Field:
    """A config's ``split``: read off the shard's path, ``<config>/<split>-N-of-M.parquet``."""
    choices = "|".join(split_rule.SPLITS)
    # The bare split name matches too: mlcroissant applies the transform again to
    # the extracted value when it follows ``references``.
    return mlc.Field(
        id=f"{config}/split",
        name="split",
        description="The split the record is in.",
        data_types=[mlc.DataType.TEXT],
        source=mlc.Source(
            file_set=file_set,
            extract=mlc.Extract(file_property=mlc.FileProperty.fullpath),
            transforms=[
                mlc.Transform(
                    regex=f"^(?:.*/)?(?:{config}/)?({choices})(?:-\\d+-of-\\d+\\.parquet)?$"
                )
            ],
        ),
        references=mlc.Source(field=f"{SPLITS_SET}/name"),
    )


def _label_reference(labels: _Enumerations, names: list[str], is_array: bool) -> dict[str, Any]:
    """``references`` to the label set, or for a list of labels its id in the description.

    mlcroissant cannot join a list column on a reference (it fails to load the
    record set), so a list of labels names its enumeration instead.
    """
    source = labels.reference(names)
    if is_array:
        enumeration = source.field.split("/")[0] if source.field else ""
        return {"description": f"Class labels: indexes into the {enumeration} record set."}
    return {
        "references": source,
        "description": "A class label: an index into the label set it references.",
    }


def _field(
    file_set: str,
    field_id: str,
    name: str,
    column: str,
    feature: Any,
    path: list[str],
    labels: _Enumerations,
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
        return mlc.Field(
            id=field_id,
            name=name,
            data_types=[mlc.DataType.INTEGER],
            source=source(),
            **_label_reference(labels, feature.names, is_array),
            **extra,
        )
    if isinstance(feature, dict):
        subs = [
            _field(file_set, f"{field_id}/{key}", key, column, sub, [*path, key], labels)
            for key, sub in feature.items()
        ]
        return mlc.Field(id=field_id, name=name, sub_fields=subs, **extra)
    dtype = getattr(feature, "dtype", "")
    # Any Arrow timestamp (the publication time in UTC) is a point in time: sc:DateTime.
    if dtype.startswith("timestamp"):
        dtype = mlc.DataType.DATETIME
    else:
        dtype = _VALUE_TYPES.get(dtype, mlc.DataType.TEXT)
    return mlc.Field(id=field_id, name=name, data_types=[dtype], source=source(), **extra)


def metadata(
    folder: Path, configs: list[ConfigInfo], version: str, url: str | None = None
) -> dict[str, Any]:
    """The Croissant JSON-LD of a release folder whose Parquet files are written.

    ``url`` is where the release is published (the card and this file say the same).
    """
    distribution: list[Any] = []
    record_sets = []
    labels = _Enumerations()
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
            _field(set_id, f"{config.name}/{key}", key, key, feature, [], labels)
            for key, feature in config.features.items()
        ]
        fields.append(_split_field(config.name, set_id))
        record_sets.append(
            mlc.RecordSet(
                id=config.name,
                name=config.name,
                description=f"One row per record of the {config.name} config.",
                fields=fields,
            )
        )
    present = [s for s in split_rule.SPLITS if any(c.rows.get(s) for c in configs)]
    record_sets = [_splits_set(present), *labels.record_sets(), *record_sets]
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
        url=url or project_url("Dataset"),
        license=[LICENCE, LICENCE_URL],
        version=version,
        cite_as="Warta: an annotated corpus of Indonesian news, version " + version,
        in_language=["id"],
        keywords=["news", "Indonesian", "named entities", "quotation attribution"],
        distribution=distribution,
        record_sets=record_sets,
    )
    return meta.to_json()

"""The schema files are the single source of labels and shapes."""

from __future__ import annotations

import json

import datasets
import jsonschema
import pytest

from warta import schema


@pytest.mark.parametrize("name", ["defs", "annotation", "article"])
def test_schema_files_are_valid_draft_2020_12(name: str) -> None:
    doc = schema.document(name)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)


def test_every_class_label_comes_from_an_enum() -> None:
    defs = schema.document("defs")["$defs"]
    for name, node in defs.items():
        if node.get("x-class-label"):
            feature = schema.feature(node)
            assert isinstance(feature, datasets.ClassLabel), name
            assert feature.names == node["enum"]


def _walk(feature, node, path=""):
    """Assert that feature mirrors schema node, recursively."""
    node, base = schema._resolve(node, schema.DEFS_ID)
    if "anyOf" in node:
        node = next(n for n in node["anyOf"] if n.get("type") != "null")
        node, _ = schema._resolve(node, base)
    if node.get("x-class-label"):
        assert isinstance(feature, datasets.ClassLabel) and feature.names == node["enum"], path
    elif node.get("type") == "array":
        assert isinstance(feature, datasets.List), path
        _walk(feature.feature, node["items"], path + "[]")
    elif node.get("type") == "object":
        assert isinstance(feature, dict) and list(feature) == list(node["properties"]), path
        for key, sub in node["properties"].items():
            _walk(feature[key], sub, f"{path}.{key}")
    else:
        assert isinstance(feature, datasets.Value), path


def test_release_features_mirror_the_record_schema() -> None:
    doc = schema.document("article")
    features = schema.features("article")
    assert list(features) == list(doc["properties"]) == doc["required"]
    for key, node in doc["properties"].items():
        _walk(features[key], node, key)
    # Features survive the round trip through their own serialisation.
    assert datasets.Features.from_dict(json.loads(json.dumps(features.to_dict()))) == features


def test_offsets_are_int32_as_the_schema_bounds_them() -> None:
    offset = schema.definition("offset")
    assert offset["maximum"] == 2**31 - 1
    assert schema.features("article")["entities"].feature["start"] == datasets.Value("int32")

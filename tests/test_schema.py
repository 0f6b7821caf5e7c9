"""The schema files are the single source of labels and shapes."""

from __future__ import annotations

import json
from typing import Any

import datasets
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _reference(name: str) -> jsonschema.Draft202012Validator:
    """The jsonschema library's validator of one schema document (the reference engine)."""
    return jsonschema.Draft202012Validator(schema.document(name), registry=schema.registry())


def test_corpus_annotation_files_are_valid_for_jsonschema_itself() -> None:
    from .conftest import CORPUS

    validator = _reference("annotation")
    for path in sorted(CORPUS.glob("*.json")):
        errors = [e.message for e in validator.iter_errors(json.loads(path.read_text("utf-8")))]
        assert errors == [], path


# JSON values to put anywhere in an annotation file. No line breaks in strings:
# jsonschema's `pattern` uses Python's `$`, which the validator reads as ECMA-262's.
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(value: Any, path: tuple = ()) -> list[tuple]:
    """Every path into a JSON value (its keys and indexes)."""
    found = [path]
    if isinstance(value, dict):
        for key, sub in value.items():
            found += _places(sub, (*path, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            found += _places(sub, (*path, index))
    return found


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_validator_judges_annotation_files_as_jsonschema_does(data: st.DataObject) -> None:
    from .fixtures import valid_annotation

    doc = valid_annotation()
    places = [p for p in _places(doc) if p]
    where = data.draw(st.sampled_from(places))
    parent = doc
    for step in where[:-1]:
        parent = parent[step]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = data.draw(_JSON)
    ours = schema.check("annotation")(doc)
    assert (ours == []) == _reference("annotation").is_valid(doc), (where, ours)

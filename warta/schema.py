"""The JSON Schema files in ``schema/``, and everything derived from them.

Label sets and record shapes are written once, as JSON Schema (draft 2020-12).
This module loads them, compiles their checks (:mod:`warta.schema_check`),
reads the label lists, and derives the Hugging Face ``Features`` of each
released config, so the release can never disagree with the schema.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from warta.schema_check import Check

if TYPE_CHECKING:
    import datasets

DEFS_ID = "urn:warta:schema:defs"


def schema_dir() -> Path:
    """Where the schema files are: inside an installed wheel, or the source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "schema", here.parent / "schema"):
        if (candidate / "defs.schema.json").is_file():
            return candidate
    raise FileNotFoundError("schema files not found beside the warta package")


@cache
def _documents() -> dict[str, dict[str, Any]]:
    docs = {}
    for path in sorted(schema_dir().glob("*.schema.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        docs[path.name.removesuffix(".schema.json")] = doc
    _generate_enums(docs["defs"]["$defs"])
    return docs


def _generate_enums(defs: dict[str, Any]) -> None:
    """Fill in the label sets made from others: IOB2 tags, and a label before a set."""
    for node in defs.values():
        if "x-iob2" in node:
            names = defs[node["x-iob2"]]["enum"]
            node["enum"] = ["O", *(f"{p}-{name}" for name in names for p in "BI")]
        elif "x-then" in node:
            node["enum"] = [node["x-first"], *defs[node["x-then"]]["enum"]]


def document(name: str) -> dict[str, Any]:
    """One schema document by short name (``annotation``, ``article``, ``defs``...)."""
    return _documents()[name]


@cache
def registry() -> Registry:
    """A registry that resolves the ``urn:warta:schema:*`` references offline."""
    resources = [
        (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012))
        for doc in _documents().values()
    ]
    return Registry().with_resources(resources)


# An escape, a character class (escapes inside it too), or a bare end anchor.
_ANCHOR = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]?|\$")


def python_pattern(pattern: str) -> str:
    """An ECMA-262 schema pattern as a Python regex with the same anchors.

    JSON Schema patterns follow ECMA-262, where ``$`` matches only at the end of
    the string; Python's ``$`` also matches before a final newline, which would
    let ``"berita\\n"`` pass as an id. Unescaped ``$`` outside a character class
    becomes ``\\Z``.
    """
    return _ANCHOR.sub(lambda m: m[0] if m[0] != "$" else "\\Z", pattern)


@cache
def compiled_pattern(pattern: str) -> re.Pattern[str]:
    """A schema pattern compiled with ECMA-262 anchors (see :func:`python_pattern`)."""
    return re.compile(python_pattern(pattern))


@cache
def check(name: str) -> Check:
    """The compiled check of one schema: ``check(name)(doc)`` lists the errors, ``[]`` if none."""
    doc = document(name)
    return Check(doc, registry().resolver(base_uri=doc["$id"]))


def definition(name: str) -> dict[str, Any]:
    """A ``$defs`` entry of the shared definitions."""
    return document("defs")["$defs"][name]


def labels(name: str) -> list[str]:
    """A label set (``boilerplate_label``, ``entity_label``, ``quote_kind``...)."""
    return list(definition(name)["enum"])


@cache
def label_ids(name: str) -> dict[str, int]:
    """A label set's ``ClassLabel`` ids: each label's place in the set, as in the release."""
    return {label: i for i, label in enumerate(labels(name))}


def _resolve(node: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
    while "$ref" in node:
        ref = node["$ref"]
        target = ref if not ref.startswith("#") else base + ref
        resolved = registry().resolver(base_uri=base).lookup(target)
        node = resolved.contents
        base = target.split("#", 1)[0]
    return node, base


def feature(node: dict[str, Any], base: str = DEFS_ID) -> Any:
    """The ``datasets`` feature for one schema node."""
    import datasets  # imported here: the validator must start fast without it

    node, base = _resolve(node, base)
    if "anyOf" in node:
        options = [n for n in node["anyOf"] if _resolve(n, base)[0].get("type") != "null"]
        if len(options) != 1:
            raise ValueError(f"cannot derive a feature from anyOf {node['anyOf']!r}")
        return feature(options[0], base)
    kind = node.get("type")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        if len(non_null) != 1:
            raise ValueError(f"cannot derive a feature from type {kind!r}")
        kind = non_null[0]
    if node.get("x-class-label"):
        return datasets.ClassLabel(names=list(node["enum"]))
    if kind == "string":
        # x-dtype on a string: released as that Arrow type (a timestamp), written as text in JSON.
        return datasets.Value(node.get("x-dtype", "string"))
    if kind == "integer":
        return datasets.Value(node.get("x-dtype", "int64"))
    if kind == "number":
        return datasets.Value(node.get("x-dtype", "float64"))
    if kind == "boolean":
        return datasets.Value("bool")
    if kind == "array":
        return datasets.List(feature(node["items"], base))
    if kind == "object":
        return {name: feature(sub, base) for name, sub in node["properties"].items()}
    raise ValueError(f"cannot derive a feature from schema node {node!r}")


def _span_layers() -> dict[str, str]:
    """Each annotation layer of labelled spans, and the label set of its spans."""
    props = document("annotation")["properties"]
    out = {}
    for layer in labels("layer"):
        item = _resolve(props[layer]["items"], document("annotation")["$id"])[0]
        label = item["properties"].get("label")
        if label is not None:
            out[layer] = label["$ref"].rsplit("/", 1)[1]
    return out


def _layer_labels() -> dict[str, str]:
    """Each layer's label set: its spans' labels, or its quotes' kinds."""
    kind = definition("quote")["properties"]["kind"]["$ref"].rsplit("/", 1)[1]
    return {layer: _span_layers().get(layer, kind) for layer in labels("layer")}


def _quote_parts() -> tuple[str, ...]:
    """The parts of a quote that are spans of the text (its content, cue, speaker)."""
    spans = ("#/$defs/span", "#/$defs/optional_span")
    quote = definition("quote")["properties"]
    return tuple(k for k, v in quote.items() if v.get("$ref") in spans)


def fields(name: str) -> tuple[str, ...]:
    """The fields of a shape of the shared definitions (``quote``, ``metadata``...), in order."""
    return tuple(definition(name)["properties"])


def features(name: str) -> datasets.Features:
    """The ``Features`` of a released record schema (``article``, ...)."""
    import datasets

    doc = document(name)
    return datasets.Features(
        {key: feature(sub, doc["$id"]) for key, sub in doc["properties"].items()}
    )


# What the rest of the package knows of the annotation file's shape, read from the schema.
LAYERS: tuple[str, ...] = tuple(labels("layer"))
"""The annotation layers, in their documented order."""
SPAN_LAYERS: dict[str, str] = _span_layers()
"""The layers of labelled spans (boilerplate, entities), each with its label set."""
QUOTE_LAYERS: tuple[str, ...] = tuple(layer for layer in LAYERS if layer not in SPAN_LAYERS)
"""The layers of quotes (quotes)."""
LAYER_LABELS: dict[str, str] = _layer_labels()
"""Each layer's label set (the labels of its spans, or the kinds of its quotes)."""
ANNOTATION_KEYS: tuple[str, ...] = tuple(document("annotation")["properties"])
"""The fields of an annotation file, in their documented (canonical) order."""
QUOTE_PARTS: tuple[str, ...] = _quote_parts()
"""The parts of a quote that are spans: content, cue, speaker."""
STATUSES: tuple[str, ...] = tuple(labels("layer_status"))
"""Who made a layer: none, auto, manual."""

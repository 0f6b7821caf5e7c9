"""The JSON Schema files in ``schema/``, and everything derived from them.

Label sets and record shapes are written once, as JSON Schema (draft 2020-12).
This module loads them, compiles their checks (:mod:`warta.schema_check`),
reads the label lists, and derives the Hugging Face ``Features`` of each
released config, so the release can never disagree with the schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
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


def _spans_among(properties: dict[str, Any]) -> tuple[str, ...]:
    """The properties that are spans of the text, by their reference to the shared
    span shapes (local in the definitions, by URN in the record schemas)."""
    spans = ("#/$defs/span", "#/$defs/optional_span")
    return tuple(key for key, sub in properties.items() if sub.get("$ref", "").endswith(spans))


def _quote_parts() -> tuple[str, ...]:
    """The parts of a quote that are spans of the text (its content, cue, speaker)."""
    return _spans_among(definition("quote")["properties"])


def fields(name: str) -> tuple[str, ...]:
    """The fields of a shape of the shared definitions (``quote``, ``metadata``...), in order."""
    return tuple(definition(name)["properties"])


def _record_properties(name: str, field: str | None) -> dict[str, Any]:
    node = document(name)
    if field is not None:
        node = node["properties"][field]["items"]
    return node["properties"]


def record_fields(name: str, field: str | None = None) -> tuple[str, ...]:
    """The fields of a released record schema (``line``, ``quote``...), in order; with
    ``field``, the fields of the items of that list field (an article's ``entities``)."""
    return tuple(_record_properties(name, field))


def span_fields(name: str, field: str | None = None) -> tuple[str, ...]:
    """Which of :func:`record_fields` are spans of the text (a quote's content, cue,
    speaker and paragraph)."""
    return _spans_among(_record_properties(name, field))


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


class Names:
    """An enum's values (or a shape's fields) as attributes: ``ENTITY.PER == "PER"``.

    Code that must name one value for behaviour (a rule that finds people, the
    quotes layer) names it here, never as a string of its own, so a value renamed
    or removed in ``schema/`` fails where it is named, with the enum in the
    message. Modules bind the values they use at import (``PER = ENTITY.PER``)
    so that failure comes when they are imported. Iterating gives the values in
    the schema's order.
    """

    def __init__(self, enum: str, values: tuple[str, ...]) -> None:
        self.__dict__.update({value: value for value in values})
        self.__dict__.update(_enum=enum, _values=values)

    def __getattr__(self, name: str) -> str:
        enum = self.__dict__.get("_enum")
        if enum is None or name.startswith("__"):  # not made by __init__ (copy, pickle)
            raise AttributeError(name)
        raise AttributeError(f"the schema's {enum} has no {name!r} (see schema/)")

    def __reduce__(self) -> tuple[type[Names], tuple[str, tuple[str, ...]]]:
        return Names, (self._enum, self._values)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __contains__(self, value: object) -> bool:
        return value in self._values

    def __repr__(self) -> str:
        return f"Names({self._enum!r}: {', '.join(self._values)})"


def names(enum: str) -> Names:
    """A label set of the shared definitions as :class:`Names`."""
    return Names(enum, tuple(labels(enum)))


LAYER = names("layer")
"""The layers by name: ``LAYER.boilerplate``, ``LAYER.entities``, ``LAYER.quotes``."""
STATUS = names("layer_status")
"""Who made a layer, by name: ``STATUS.none``, ``STATUS.auto``, ``STATUS.manual``."""
ENTITY = names("entity_label")
"""The entity labels by name: ``ENTITY.PER``..."""
FURNITURE = names("boilerplate_label")
"""The boilerplate categories by name: ``FURNITURE.byline``..."""
QUOTE_KIND = names("quote_kind")
"""How a quote is reported, by name: ``QUOTE_KIND.direct``..."""
SPLIT = names("split")
"""The release's splits by name: ``SPLIT.train``, ``SPLIT.validation``, ``SPLIT.test``."""
ANNOTATION = Names("annotation", ANNOTATION_KEYS)
"""An annotation file's fields by name: ``ANNOTATION.manual``..."""
QUOTE = Names("quote", fields("quote"))
"""A quote's fields by name: ``QUOTE.kind``, ``QUOTE.content``... ``QUOTE.speaker_name``."""
(QUOTES,) = QUOTE_LAYERS
"""The one layer of quotes (code that reads quotes names it by this)."""

"""A versioned model bundle: everything needed to tag, written deterministically.

A bundle is a folder with

* ``model.crfsuite``: the CRF weights as crfsuite wrote them;
* ``bundle.json``: bundle format version, label list, training parameters,
  feature configuration, sha256 of the weights and of each lexicon file, and
  the versions of the libraries that shape the output.

Nothing time- or machine-dependent is written and JSON keys are sorted, so
training twice on the same data in the same order gives byte-identical files
(crfsuite's L-BFGS training is deterministic for the same data order and
parameters).
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import json
from pathlib import Path
from typing import Any

from warta import lexicons
from warta.errors import WartaError
from warta.ner import features
from warta.ner.model import NerModel

BUNDLE_VERSION = 1
WEIGHTS = "model.crfsuite"
MANIFEST = "bundle.json"
LIBRARIES = ("python-crfsuite", "Sastrawi", "spacy")


def _version(dist: str) -> str | None:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return None


def common(model: Any, training: dict[str, Any] | None, version: int) -> dict[str, Any]:
    """The manifest fields every model's bundle has: what it was trained on and how,
    its labels and its weights' checksum."""
    return {
        "training": training or {},
        "bundle_version": version,
        "labels": model.labels(),
        "params": model.params,
        "weights_sha256": hashlib.sha256(model.weights).hexdigest(),
    }


def manifest(model: NerModel, training: dict[str, Any] | None = None) -> dict[str, Any]:
    return common(model, training, BUNDLE_VERSION) | {
        "rule_hints": model.rule_hints,
        "features": features.config(),
        "lexicons_sha256": lexicons.sha256s(),
        "rules_sha256": rules_sha256() if model.rule_hints else None,
        "libraries": libraries(),
    }


def write_files(folder: str | Path, weights: bytes, meta: dict[str, Any]) -> Path:
    """Write a bundle's weights and manifest into ``folder`` (created if needed), the
    manifest with sorted keys so that the same model writes the same bytes."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / WEIGHTS).write_bytes(weights)
    text = json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8", newline="\n")
    return folder


def write(model: NerModel, folder: str | Path, training: dict[str, Any] | None = None) -> Path:
    """Write ``model`` as a bundle into ``folder``; ``training`` says what it was
    trained on (article count, data fingerprint)."""
    return write_files(folder, model.weights, manifest(model, training))


def checksum(folder: str | Path) -> str:
    """One sha256 over the bundle's files (name and content of each, in a fixed order)."""
    h = hashlib.sha256()
    for name in (MANIFEST, WEIGHTS):
        data = (Path(folder) / name).read_bytes()
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def rules_sha256() -> str:
    """sha256 of the rule cascade whose output the tagger reads as features (its code,
    gazetteer and cue lists, the shared tokenizer and Doc): a change to any needs a new
    bundle. The lexicons it reads are checked apart (:func:`warta.lexicons.sha256s`)."""
    from warta import doc, tokens
    from warta.annotators import entities

    h = hashlib.sha256()
    cascade = Path(entities.__file__)
    data = (
        cascade.with_name("gazetteer.json"),
        cascade.with_name("entity_cues.json"),
        cascade.with_name("entity_rules.json"),
    )
    for path in (cascade, *data, Path(tokens.__file__), Path(doc.__file__)):
        h.update(path.read_bytes())
    return h.hexdigest()


def libraries() -> dict[str, str | None]:
    """Versions of the libraries that shape the tagger's output."""
    return {d: _version(d) for d in LIBRARIES}


class BundleError(WartaError, ValueError):
    """A bundle that does not fit this code: other features, lexicons or damaged weights."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}; retrain it with: python build.py train")


def checked(folder: Path, feature_config: Any | None) -> tuple[dict[str, Any], bytes]:
    """A bundle's manifest and weights, the weights checked against their checksum and,
    given ``feature_config``, the manifest's features against it (any model's bundle)."""
    meta = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    weights = (folder / WEIGHTS).read_bytes()
    if hashlib.sha256(weights).hexdigest() != meta["weights_sha256"]:
        raise BundleError(f"{folder / WEIGHTS}: sha256 does not match {MANIFEST}")
    if feature_config is not None and meta["features"] != json.loads(json.dumps(feature_config)):
        raise BundleError(f"{folder}: trained with other features than this code computes")
    return meta, weights


def read(folder: str | Path, strict: bool = True) -> NerModel:
    """Load a bundle; with ``strict``, refuse one whose features or lexicons differ."""
    folder = Path(folder)
    meta, weights = checked(folder, features.config() if strict else None)
    if strict:
        if meta["lexicons_sha256"] != lexicons.sha256s():
            raise BundleError(f"{folder}: trained with other lexicon files than these")
        if meta["rule_hints"] and meta.get("rules_sha256") != rules_sha256():
            raise BundleError(f"{folder}: trained with another rule cascade than this one")
    return NerModel(weights=weights, params=meta["params"], rule_hints=meta["rule_hints"])

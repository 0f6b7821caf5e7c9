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

from warta.ner import features, lexicons
from warta.ner.model import NerModel

BUNDLE_VERSION = 1
WEIGHTS = "model.crfsuite"
MANIFEST = "bundle.json"


def _version(dist: str) -> str | None:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return None


def manifest(model: NerModel) -> dict[str, Any]:
    return {
        "bundle_version": BUNDLE_VERSION,
        "labels": model.labels(),
        "params": model.params,
        "rule_hints": model.rule_hints,
        "features": features.config(),
        "weights_sha256": hashlib.sha256(model.weights).hexdigest(),
        "lexicons_sha256": lexicons.sha256s(),
        "libraries": {d: _version(d) for d in ("python-crfsuite", "Sastrawi")},
    }


def write(model: NerModel, folder: str | Path) -> Path:
    """Write ``model`` as a bundle into ``folder`` (created if needed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / WEIGHTS).write_bytes(model.weights)
    text = json.dumps(manifest(model), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8", newline="\n")
    return folder


class BundleError(ValueError):
    """A bundle that does not fit this code: other features, lexicons or damaged weights."""


def read(folder: str | Path, strict: bool = True) -> NerModel:
    """Load a bundle; with ``strict``, refuse one whose features or lexicons differ."""
    folder = Path(folder)
    meta = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    weights = (folder / WEIGHTS).read_bytes()
    if hashlib.sha256(weights).hexdigest() != meta["weights_sha256"]:
        raise BundleError(f"{folder / WEIGHTS}: sha256 does not match {MANIFEST}")
    if strict:
        if meta["features"] != json.loads(json.dumps(features.config())):
            raise BundleError(f"{folder}: trained with other features than this code computes")
        if meta["lexicons_sha256"] != lexicons.sha256s():
            raise BundleError(f"{folder}: trained with other lexicon files than these")
    return NerModel(weights=weights, params=meta["params"], rule_hints=meta["rule_hints"])

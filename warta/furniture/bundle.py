"""The furniture model's bundle: weights and a manifest, written deterministically.

Same layout and guarantees as the entity model's (:mod:`warta.ner.bundle`):
``model.crfsuite`` as crfsuite wrote it and ``bundle.json`` with sorted keys
and nothing time- or machine-dependent, so training twice on the same data
writes the same bytes. The manifest records the feature configuration and the
lexicon's sha256, and a bundle trained on other ones is refused. It also
records the sha256 of the rule module whose output is a feature; a refactor
that keeps the rules' output does not need a new bundle, so that one is only
reported, not enforced.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from warta.furniture import features, lexicon
from warta.furniture.model import FurnitureModel
from warta.ner.bundle import BundleError, checked, common, libraries, write_files

BUNDLE_VERSION = 1


def rules_sha256() -> str:
    """sha256 of the boilerplate rules' source, whose output the model reads."""
    from warta.annotators import boilerplate

    return hashlib.sha256(Path(boilerplate.__file__).read_bytes()).hexdigest()


def manifest(model: FurnitureModel, training: dict[str, Any] | None = None) -> dict[str, Any]:
    return common(model, training, BUNDLE_VERSION) | {
        "threshold": model.threshold,
        "features": features.config(),
        "lexicon_sha256": lexicon.sha256(),
        "rules_sha256": rules_sha256(),
        "libraries": {"python-crfsuite": libraries()["python-crfsuite"]},
    }


def write(
    model: FurnitureModel, folder: str | Path, training: dict[str, Any] | None = None
) -> Path:
    """Write ``model`` as a bundle into ``folder`` (created if needed)."""
    return write_files(folder, model.weights, manifest(model, training))


def read(folder: str | Path, strict: bool = True) -> FurnitureModel:
    """Load a bundle; with ``strict``, refuse one trained on other features or lexicon."""
    folder = Path(folder)
    meta, weights = checked(folder, features.config() if strict else None)
    if strict and meta["lexicon_sha256"] != lexicon.sha256():
        raise BundleError(f"{folder}: trained with another furniture lexicon than this one")
    return FurnitureModel(weights=weights, params=meta["params"], threshold=meta["threshold"])

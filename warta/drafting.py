"""Starter annotation files: the automatic layers, for a person to correct.

A draft lists no layer in ``manual``; the contributor corrects a layer, adds it
to ``manual``, and runs the validator. A draft replaces only another draft, and
only when asked to: a file listing a layer in ``manual`` is a person's work and
is never overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from warta import metadata as metadata_reader
from warta.annotate import Annotators
from warta.corpus import dump_annotation
from warta.outputs import OutputRefused, claim_file, write_text
from warta.records import title_from_text
from warta.schema import ANNOTATION, LAYER, LAYERS
from warta.text import decode, sha256_bytes


def draft(text_path: Path, annotators: Annotators) -> dict[str, Any]:
    """The draft annotation file of one raw article."""
    raw = text_path.read_bytes()
    text = decode(raw)
    layers, _ = annotators.fill(text, {}, ())
    meta = {k: v for k, v in metadata_reader.extract(text).items() if v not in (None, [])}
    title = title_from_text(text, layers[LAYER.boilerplate])
    if title:
        meta["title"] = title
    return {
        "id": text_path.stem,
        "text_sha256": sha256_bytes(raw),
        "metadata": meta,
        ANNOTATION.manual: [],
        **{layer: layers[layer] for layer in LAYERS},
    }


def is_draft(path: Path) -> bool:
    """Whether ``path`` is an annotation file listing no manual layer (a draft nobody claimed)."""
    try:
        doc = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(doc, dict) and doc.get(ANNOTATION.manual) == []


def _manual_layers(path: Path) -> list[str]:
    try:
        manual = json.loads(path.read_bytes()).get(ANNOTATION.manual)
    except (OSError, ValueError, RecursionError, AttributeError):
        return []
    return [str(layer) for layer in manual] if isinstance(manual, list) else []


def check_name(text_path: Path, out: Path) -> None:
    """An annotation file is named for its article: ``<id>.json`` for ``<id>.txt``."""
    if out.suffix != ".json" or out.stem != text_path.stem:
        raise OutputRefused(
            out,
            f"is not named for the article {text_path.name} (its annotation file is "
            f"{text_path.stem}.json)",
            f"write it as --out {out.with_name(text_path.stem + '.json')}, or in another folder",
        )


def claim_target(out: Path, replace: bool = False) -> Path:
    """Check, before any work, that a draft may be written to ``out``; its resolved path.

    A file that is not a draft (one listing manual layers, or not an annotation
    file at all) is always refused; an existing draft only without ``replace``.
    """
    manual = _manual_layers(out) if out.is_file() else []
    why = (
        f"lists manual layers ({', '.join(manual)}): a person's annotations, never overwritten"
        if manual
        else "exists and is not a draft (an annotation file with an empty manual list)"
    )
    target = claim_file(
        out, (), is_draft, why, "write the draft elsewhere with --out, or move the file away first"
    )
    if not target.parent.is_dir():
        raise OutputRefused(
            target, f"its folder {target.parent} does not exist", "create it, or use another --out"
        )
    if target.exists() and not replace:
        raise OutputRefused(
            target, "already exists", "pass --force to replace this draft, or --out elsewhere"
        )
    return target


def write_draft(
    text_path: Path, out: Path, annotators: Annotators, replace: bool = False
) -> dict[str, Any]:
    """Write the draft to ``out`` in canonical formatting, whole; the draft written.

    ``replace`` allows replacing an existing draft; see :func:`claim_target`.
    """
    check_name(text_path, out)
    target = claim_target(out, replace)
    doc = draft(text_path, annotators)
    write_text(target, dump_annotation(doc))
    return doc

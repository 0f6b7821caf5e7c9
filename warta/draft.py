"""Starter annotation files: the automatic layers, for a person to correct.

A draft lists no layer in ``manual``; the contributor corrects a layer, adds it
to ``manual``, and runs the validator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warta import metadata as metadata_reader
from warta.annotate import Annotators
from warta.corpus import dump_annotation
from warta.records import title_from_text
from warta.text import decode, sha256_bytes


def draft(text_path: Path, annotators: Annotators) -> dict[str, Any]:
    """The draft annotation file of one raw article."""
    raw = text_path.read_bytes()
    text = decode(raw)
    layers, _ = annotators.fill(text, {}, ())
    meta = {k: v for k, v in metadata_reader.extract(text).items() if v not in (None, [])}
    title = title_from_text(text, layers["boilerplate"])
    if title:
        meta["title"] = title
    return {
        "id": text_path.stem,
        "text_sha256": sha256_bytes(raw),
        "metadata": meta,
        "manual": [],
        "boilerplate": layers["boilerplate"],
        "entities": layers["entities"],
        "quotes": layers["quotes"],
    }


def write_draft(text_path: Path, out: Path, annotators: Annotators) -> Path:
    """Write the draft beside the article (or to ``out``) in canonical formatting."""
    out.write_text(dump_annotation(draft(text_path, annotators)), encoding="utf-8")
    return out

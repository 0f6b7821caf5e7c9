"""An invented article for the review tests, written to be awkward to show.

Its text holds markup that must stay text (``<script>``, ``<b>``, ``&amp;``,
quotes of both kinds), a character outside the Basic Multilingual Plane (one
code point, two UTF-16 units in the browser), a combining accent, a speaker
span that is also an entity, and an entity that crosses the end of a quote's
content (so its mark is cut in two). Its annotation file lists every layer as
manual; ``second_pass`` is another annotator's version of it with known
differences. Offsets come from :func:`tests.fixtures.span`, so they are right
by construction.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from warta import schema
from warta.text import sha256_bytes

from .fixtures import label, span

ID = "uji-halte-review-1"
TEXT = (
    "BANDUNG, WARTAKITA - Wali Kota <b>Bandung</b> Siti Rahayu & tim meninjau halte 🚌 baru "
    "di Jalan Merdeka, Senin (4/3/2024).\n"
    '"Tarif <script>alert(1)</script> tetap Rp3.500 &amp; tidak naik," kata Siti Rahayu.\n'
    "Ia menyebut halte itu dibuka untuk warga Cicendo mulai pekan depan.\n"
    "Menurut Dinas Perhubungan, halte serupa akan dibangun di Taman Sari Raya tahun ini.\n"
    'Baca juga: Jalur sepeda "baru" di Dago <img src=x onerror=alert(2)>\n'
    "Penulis: Dewi Lestarí\n"
)

BP, ENT = "boilerplate_label", "entity_label"


def _quote(kind: str, content: str, cue: str | None, speaker: dict | None, name: str | None):
    return {
        "kind": label("quote_kind", kind),
        "content": span(TEXT, content),
        "cue": None if cue is None else span(TEXT, cue),
        "speaker": speaker,
        "speaker_name": name,
    }


def annotation() -> dict[str, Any]:
    """The annotation file of :data:`TEXT`, every layer manual."""
    return {
        "id": ID,
        "text_sha256": sha256_bytes(TEXT.encode("utf-8")),
        "metadata": {"outlet": "wartakita.id", "language": "id", "title": 'Halte <i>"baru"</i>'},
        "manual": list(schema.labels("layer")),
        "boilerplate": [
            span(
                TEXT,
                'Baca juga: Jalur sepeda "baru" di Dago <img src=x onerror=alert(2)>',
                BP,
                "related",
            ),
            span(TEXT, "Penulis: Dewi Lestarí", BP, "byline"),
        ],
        "entities": [
            span(TEXT, "BANDUNG", ENT, "LOC"),
            span(TEXT, "WARTAKITA", ENT, "ORG"),
            span(TEXT, "Bandung", ENT, "LOC"),
            span(TEXT, "Siti Rahayu", ENT, "PER"),
            span(TEXT, "Jalan Merdeka", ENT, "LOC"),
            span(TEXT, "Siti Rahayu", ENT, "PER", nth=1),
            span(TEXT, "Cicendo", ENT, "LOC"),
            span(TEXT, "Dinas Perhubungan", ENT, "ORG"),
            span(TEXT, "Taman Sari Raya", ENT, "LOC"),
        ],
        "quotes": [
            _quote(
                "direct",
                "Tarif <script>alert(1)</script> tetap Rp3.500 &amp; tidak naik,",
                "kata",
                span(TEXT, "Siti Rahayu", nth=1),
                "Siti Rahayu",
            ),
            _quote(
                "indirect",
                "halte itu dibuka untuk warga Cicendo mulai pekan depan",
                "menyebut",
                span(TEXT, "Ia"),
                "Siti Rahayu",
            ),
            # Its content ends inside "Taman Sari Raya": the entity's mark is cut in two.
            _quote(
                "indirect",
                "halte serupa akan dibangun di Taman Sari",
                None,
                span(TEXT, "Dinas Perhubungan"),
                "Dinas Perhubungan",
            ),
        ],
    }


def second_pass() -> tuple[dict[str, Any], dict[str, set[tuple[str, str, int, int]]]]:
    """Another annotator's file of the same article, and the marks that differ on each side.

    B labels "Jalan Merdeka" ORG, not LOC; takes the byline for content and
    marks the writer's name as a person instead; and gives the second quote
    no speaker_name, so every part of that quote differs on both sides. The
    differences are ``(layer, label, start, end)`` of the marks to outline on
    side ``a`` and on side ``b``.
    """
    doc = copy.deepcopy(annotation())
    merdeka = next(e for e in doc["entities"] if e["text"] == "Jalan Merdeka")
    merdeka["label"] = label(ENT, "ORG")
    byline = next(b for b in doc["boilerplate"] if b["label"] == "byline")
    doc["boilerplate"].remove(byline)
    writer = span(TEXT, "Dewi Lestarí", ENT, "PER")
    doc["entities"].append(writer)
    doc["quotes"][1]["speaker_name"] = None
    quote = annotation()["quotes"][1]
    parts = {
        ("quotes", part, quote[part]["start"], quote[part]["end"])
        for part in schema.QUOTE_PARTS
    }
    at = (merdeka["start"], merdeka["end"])
    a = {
        ("entities", "LOC", *at),
        ("boilerplate", "byline", byline["start"], byline["end"]),
        *parts,
    }
    b = {("entities", "ORG", *at), ("entities", "PER", writer["start"], writer["end"]), *parts}
    return doc, {"a": a, "b": b}


def write(folder: Path, doc: dict[str, Any] | None = None, text: bool = True) -> Path:
    """Write the article and ``doc`` (default: its own file) into ``folder``; the file's path.

    ``text=False`` writes the annotation file alone, as a second pass's folder holds it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if text:
        (folder / f"{ID}.txt").write_text(TEXT, encoding="utf-8", newline="")
    path = folder / f"{ID}.json"
    path.write_text(
        json.dumps(annotation() if doc is None else doc, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return path

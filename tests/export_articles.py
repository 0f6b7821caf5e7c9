"""Articles the export tests write: everything a converter has to carry through a tool.

One article holds every boilerplate and entity label and every quote kind, a
quote split around its attribution (two quotes sharing cue and speaker), a
quote with neither cue nor speaker, a span over a line break, text glued
without spaces, emoji (outside the Basic Multilingual Plane, so UTF-16 counts
them twice) and a combining mark. The texts are invented.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from warta import schema
from warta.corpus import dump_annotation
from warta.text import sha256_bytes

from .fixtures import label, span, write_corpus

HARD_ID = "uji-kopi-rumit-4"
HARD_TEXT = (
    "BANDUNG, KABARKITA - Wali Kota Rina Wati membuka Festival Kopi Priangan 2024 di Gedung "
    "Sate.\n"
    '"Kami ingin kopi lokal naik kelas," kata Rina, "dan petani ikut sejahtera."\n'
    "Menurut Koperasi Tani Jaya, panen tahun ini naik dua kali lipat.\n"
    '"Kopi adalah budaya kita."\n'
    "😀 Kedai milik pemilikJose\u0301 di Cimahi memakai aplikasi KopiKu.Penulis: Budi Santoso\n"
    "Baca juga: Harga Gula\nNaik Lagi\n"
    "Gabung 😀 kanal kami sekarang\n"
    "Terkini Lainnya\n"
    "Bagikan artikel ini\n"
    "Sumber: Kabarkita.id\n"
)


def _quote(kind: str, content: str, cue: str | None, speaker: str | None, name: str | None) -> dict:
    text = HARD_TEXT
    return {
        "kind": label("quote_kind", kind),
        "content": span(text, content),
        "cue": None if cue is None else span(text, cue),
        "speaker": None if speaker is None else span(text, speaker, nth=speaker == "Rina"),
        "speaker_name": name,
    }


def hard_annotation() -> dict[str, Any]:
    """The complete annotation file of ``HARD_TEXT``: every label, every quote shape."""
    text, bp, ent = HARD_TEXT, "boilerplate_label", "entity_label"
    return {
        "id": HARD_ID,
        "text_sha256": sha256_bytes(text.encode("utf-8")),
        "metadata": {
            "outlet": "kabarkita.id",
            "url": None,
            "authors": ["Budi Santoso"],
            "language": "id",
        },
        "manual": list(schema.labels("layer")),
        "boilerplate": [
            span(text, "Penulis: Budi Santoso", bp, "byline"),
            span(text, "Baca juga: Harga Gula\nNaik Lagi", bp, "related"),
            span(text, "Gabung 😀 kanal kami sekarang", bp, "promo"),
            span(text, "Terkini Lainnya", bp, "recommendations"),
            span(text, "Bagikan artikel ini", bp, "interface"),
            span(text, "Sumber: Kabarkita.id", bp, "source"),
        ],
        "entities": [
            span(text, "BANDUNG", ent, "LOC"),
            span(text, "KABARKITA", ent, "ORG"),
            span(text, "Rina Wati", ent, "PER"),
            span(text, "Festival Kopi Priangan 2024", ent, "EVENT"),
            span(text, "Gedung Sate", ent, "LOC"),
            span(text, "Rina", ent, "PER", nth=1),
            span(text, "Koperasi Tani Jaya", ent, "ORG"),
            span(text, "Jose\u0301", ent, "PER"),
            span(text, "Cimahi", ent, "LOC"),
            span(text, "KopiKu", ent, "PRODUCT"),
        ],
        "quotes": [
            _quote("direct", "Kami ingin kopi lokal naik kelas,", "kata", "Rina", "Rina Wati"),
            _quote("direct", "dan petani ikut sejahtera.", "kata", "Rina", "Rina Wati"),
            _quote(
                "indirect",
                "panen tahun ini naik dua kali lipat",
                "Menurut",
                "Koperasi Tani Jaya",
                "Koperasi Tani Jaya",
            ),
            _quote("mixed", "Kopi adalah budaya kita.", None, None, None),
        ],
    }


# Files that list no manual layer, or leave layer keys out: the head must keep them as written.
BARE_ID = "uji-bare-5"
BARE_TEXT = "Sebuah catatan pendek tanpa anotasi apa pun dari redaksi.\n"


def write_export_corpus(folder: Path) -> Path:
    """The three-article corpus of the fixtures, the hard article, and a bare annotation file."""
    write_corpus(folder)
    (folder / f"{HARD_ID}.txt").write_text(HARD_TEXT, encoding="utf-8")
    (folder / f"{HARD_ID}.json").write_text(dump_annotation(hard_annotation()), encoding="utf-8")
    (folder / f"{BARE_ID}.txt").write_text(BARE_TEXT, encoding="utf-8")
    bare = {"id": BARE_ID, "text_sha256": sha256_bytes(BARE_TEXT.encode()), "manual": []}
    (folder / f"{BARE_ID}.json").write_text(
        json.dumps(bare, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return folder

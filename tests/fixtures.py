"""Articles the tests write themselves, with hand-written annotation files.

Tests that need fixed text, offsets or counts use these rather than whatever
``corpus/`` happens to hold, so a contributor's new article never changes what
they expect. The texts are invented news-like Indonesian; every span is found
in its text by :func:`span`, so offsets are right by construction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from warta import schema
from warta.text import sha256_bytes

ARTICLE_ID = "uji-bus-listrik-1"
OUTLET = "kabarkita.id"

# The article most tests start from. Its annotation (``valid_annotation``) is
# complete: the only names outside the furniture are the four entities, and
# the three quotes are all the reported speech (one direct with no speaker
# span, one indirect with a pronoun as speaker, one with no speaker name).
ARTICLE_TEXT = (
    "JAKARTA, KABARKITA - Kepala Dinas Perhubungan Rahmat Sudibyo meninjau bus listrik "
    "baru di terminal timur, Kamis (14/3/2024).\n"
    '"Tidak ada kenaikan tarif untuk penumpang, semua tetap sama seperti tahun lalu," '
    "tegasnya.\n"
    "Ia mengatakan empat puluh bus itu akan mengurangi antrean di halte pada jam sibuk.\n"
    "Sejumlah penumpang menyebut waktu tunggu di halte masih terlalu lama.\n"
    "Sumber : Kabarkita.id\n"
    "Baca Juga: Uji Coba Jalur Sepeda Diperpanjang Dua Pekan\n"
    "Ikuti kanal Kabarkita untuk kabar terbaru setiap hari.\n"
)

# An article with only its entities annotated by hand.
PARTIAL_ID = "uji-pasar-murah-2"
PARTIAL_TEXT = (
    "SEMARANG, KABARKITA - Pemerintah Kota Semarang menggelar pasar murah di Lapangan "
    "Pancasila, Minggu (10/3/2024).\n"
    '"Harga beras di sini lebih rendah dari harga pasar," kata Lurah Pleburan Agus Santoso.\n'
    "Ia menambahkan stok bahan pokok cukup sampai Lebaran.\n"
    "ADVERTISEMENT\n"
)

# An article with no annotation file at all.
RAW_ID = "uji-festival-kopi-3"
RAW_TEXT = (
    "MALANG, KABARKITA - Festival Kopi Malang kembali digelar di alun-alun kota pekan ini.\n"
    "Panitia menyebut ada empat puluh kedai yang ikut serta.\n"
)


def label(kind: str, name: str) -> str:
    """``name`` if the schema's label set ``kind`` has it; fails loudly if it was renamed."""
    names = schema.labels(kind)
    assert name in names, f"{name!r} is not in {kind}: {names}"
    return name


def span(text: str, needle: str, kind: str | None = None, name: str = "", nth: int = 0) -> dict:
    """The span of the ``nth`` occurrence of ``needle`` in ``text``, labelled if ``kind``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    found: dict[str, Any] = {"start": start, "end": start + len(needle)}
    if kind:
        found["label"] = label(kind, name)
    found["text"] = needle
    return found


def _quote(
    text: str, kind: str, content: str, cue: str, speaker: str | None, name: str | None
) -> dict[str, Any]:
    return {
        "kind": label("quote_kind", kind),
        "content": span(text, content),
        "cue": span(text, cue),
        "speaker": None if speaker is None else span(text, speaker),
        "speaker_name": name,
    }


def valid_annotation(text: str = ARTICLE_TEXT, raw: bytes | None = None) -> dict[str, Any]:
    """The complete, valid annotation file of ``ARTICLE_TEXT``, all three layers manual.

    ``raw`` is the file's bytes when they are not the text's UTF-8 (a BOM, CRLF).
    """
    raw = text.encode("utf-8") if raw is None else raw
    bp, ent = "boilerplate_label", "entity_label"
    return {
        "id": ARTICLE_ID,
        "text_sha256": sha256_bytes(raw),
        "metadata": {"outlet": OUTLET, "language": "id", "story": "uji-bus-listrik"},
        "manual": list(schema.labels("layer")),
        "boilerplate": [
            span(text, "Sumber : Kabarkita.id", bp, "source"),
            span(text, "Baca Juga: Uji Coba Jalur Sepeda Diperpanjang Dua Pekan", bp, "related"),
            span(text, "Ikuti kanal Kabarkita untuk kabar terbaru setiap hari.", bp, "promo"),
        ],
        "entities": [
            span(text, "JAKARTA", ent, "LOC"),
            span(text, "KABARKITA", ent, "ORG"),
            span(text, "Dinas Perhubungan", ent, "ORG"),
            span(text, "Rahmat Sudibyo", ent, "PER"),
        ],
        "quotes": [
            _quote(
                text,
                "direct",
                "Tidak ada kenaikan tarif untuk penumpang, semua tetap sama seperti tahun lalu,",
                "tegasnya",
                None,
                "Rahmat Sudibyo",
            ),
            _quote(
                text,
                "indirect",
                "empat puluh bus itu akan mengurangi antrean di halte pada jam sibuk",
                "mengatakan",
                "Ia",
                "Rahmat Sudibyo",
            ),
            _quote(
                text,
                "indirect",
                "waktu tunggu di halte masih terlalu lama",
                "menyebut",
                "Sejumlah penumpang",
                None,
            ),
        ],
    }


def partial_annotation() -> dict[str, Any]:
    """A valid annotation file of ``PARTIAL_TEXT`` with only the entities layer manual."""
    text, ent = PARTIAL_TEXT, "entity_label"
    return {
        "id": PARTIAL_ID,
        "text_sha256": sha256_bytes(text.encode("utf-8")),
        "metadata": {"outlet": OUTLET, "language": "id"},
        "manual": ["entities"],
        "entities": [
            span(text, "SEMARANG", ent, "LOC"),
            span(text, "KABARKITA", ent, "ORG"),
            span(text, "Pemerintah Kota Semarang", ent, "ORG"),
            span(text, "Lapangan Pancasila", ent, "LOC"),
            span(text, "Pleburan", ent, "LOC"),
            span(text, "Agus Santoso", ent, "PER"),
            span(text, "Lebaran", ent, "EVENT"),
        ],
    }


def write_article(folder: Path) -> Path:
    """Write ``ARTICLE_TEXT`` and its full annotation into ``folder``; return the .txt."""
    folder.mkdir(parents=True, exist_ok=True)
    txt = folder / f"{ARTICLE_ID}.txt"
    txt.write_text(ARTICLE_TEXT, encoding="utf-8")
    txt.with_suffix(".json").write_text(
        json.dumps(valid_annotation(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return txt


def write_corpus(folder: Path) -> Path:
    """A small valid corpus: one article fully manual, one partly manual, one raw."""
    write_article(folder)
    (folder / f"{PARTIAL_ID}.txt").write_text(PARTIAL_TEXT, encoding="utf-8")
    (folder / f"{PARTIAL_ID}.json").write_text(
        json.dumps(partial_annotation(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / f"{RAW_ID}.txt").write_text(RAW_TEXT, encoding="utf-8")
    return folder


def check_spans(
    text: str,
    spans: Iterable[dict[str, Any]],
    labels: Iterable[str] | None = None,
    outside: Iterable[dict[str, Any]] = (),
    trimmed: bool = True,
) -> None:
    """The invariants of a layer of labelled spans (docs/GUIDELINES.md, section 1): each
    fits the text and holds its own text, the spans are sorted and do not overlap, and
    none lies in ``outside``; with ``labels``, each has exactly the span fields and a
    label of them; ``trimmed``, no span starts or ends with white space."""
    allowed = None if labels is None else set(labels)
    prev_end = -1
    for s in spans:
        start, end = s["start"], s["end"]
        assert isinstance(start, int) and isinstance(end, int)
        assert 0 <= start < end <= len(text)
        assert text[start:end] == s["text"]
        assert start >= prev_end, "spans overlap or are unsorted"
        prev_end = end
        if trimmed:
            assert s["text"] == s["text"].strip()
        if allowed is not None:
            assert set(s) == set(schema.fields("entity_span")) and s["label"] in allowed
        for o in outside:
            assert end <= o["start"] or start >= o["end"], "span in boilerplate"


def check_quotes(text: str, quotes: list[dict[str, Any]], trimmed: bool = True) -> None:
    """The invariants of a quotes layer: every part a span of the text (the content never
    null), a known kind, contents sorted and disjoint."""
    content = schema.QUOTE_PARTS[0]
    for q in quotes:
        assert q["kind"] in schema.QUOTE_KIND
        assert q[content] is not None
        assert q["speaker_name"] is None or isinstance(q["speaker_name"], str)
        for part in schema.QUOTE_PARTS:
            if q[part] is not None:
                check_spans(text, [q[part]], trimmed=trimmed)
    check_spans(text, [q[content] for q in quotes], trimmed=trimmed)

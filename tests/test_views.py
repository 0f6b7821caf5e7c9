"""The training views: clean, ner, quotes and boilerplate rows derived from ``articles`` records.

Each view promises something a training set relies on (spans that still
match after cleaning, tags that decode back to the entities, a paragraph that
holds its quote, line labels that cover the boilerplate exactly). These tests
check each promise on records written here and on the built corpus, loaded
with the real ``datasets.load_dataset``.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from warta import schema
from warta.views import CONFIGS, ner
from warta.views import rows as view_rows

from .conftest import CORPUS

Record = dict[str, Any]


# --------------------------------------------------------------------------
# Records written by the tests
# --------------------------------------------------------------------------


def span(text: str, needle: str, label: str | None = None, nth: int = 0) -> dict[str, Any]:
    """The ``nth`` occurrence of ``needle`` in ``text`` as a span."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    out: dict[str, Any] = {"start": start, "end": start + len(needle), "text": needle}
    if label is not None:
        out["label"] = label
    return out


def record(
    text: str,
    boilerplate: list[tuple[str, str]] | None = None,
    entities: list[tuple[str, str] | tuple[str, str, int]] | None = None,
    quote_list: list[dict[str, Any]] | None = None,
    aid: str = "uji-1",
) -> Record:
    """An ``articles`` record, spans given as (text, label[, occurrence])."""

    def spans(items: list, prefix: str) -> list[dict[str, Any]]:
        out = []
        for item in items or []:
            found = span(text, item[0], item[1], item[2] if len(item) > 2 else 0)
            out.append({"id": f"{aid}:{prefix}{found['start']}-{found['end']}", **found})
        return sorted(out, key=lambda s: (s["start"], s["end"]))

    quotes_out = []
    for q in quote_list or []:
        quotes_out.append({"id": f"{aid}:q{q['content']['start']}-{q['content']['end']}", **q})
    return {
        "id": aid,
        "outlet": "contoh.id",
        "url": None,
        "title": "Judul",
        "published": "2024-05-01T10:00:00+07:00",
        "published_utc": "2024-05-01T03:00:00Z",
        "authors": [],
        "editors": [],
        "language": "id",
        "story": aid,
        "text": text,
        "text_sha256": "0" * 64,
        "status": {"boilerplate": "manual", "entities": "manual", "quotes": "auto"},
        "boilerplate": spans(boilerplate or [], "b"),
        "entities": spans(entities or [], "e"),
        "quotes": sorted(quotes_out, key=lambda q: q["content"]["start"]),
    }


NEWS = (
    "Polisi Tangkap Pemalsu Dokumen di Bandung\n"
    "ADVERTISEMENT\n"
    "BANDUNG, KOMPAS.com - Kepolisian Daerah Jawa Barat menangkap dua orang di Bandung.\n"
    "\n"
    '"Kami sudah mengamankan barang bukti," kata Kepala Bidang Humas Polda Jabar '
    "Ibrahim Tompo, Senin (6/5/2024).\n"
    "Menurut Ibrahim, pelaku sudah beraksi sejak 2022. Dr. Ani Yudhoyono hadir di "
    "Jl. Sudirman.\n"
    "Baca juga: Polisi Ungkap Jaringan Pemalsu Ijazah di Jakarta\n"
    "Dalam sidang, kata terdakwaBudi Santoso, uang itu dipakai untuk biaya hidup."
    "SCROLL TO CONTINUE WITH CONTENTIa juga menyebut nama PT Maju Jaya.\n"
    "   \n"
    "(ant/rdk)\n"
    "Terkini Lainnya\n"
    "Harga Beras Naik di Pasar Induk\n"
)


def news() -> Record:
    """A scraped-looking article with furniture on its own lines and glued inside a line."""
    text = NEWS
    quote_direct = {
        "kind": "direct",
        "content": span(text, "Kami sudah mengamankan barang bukti,"),
        "cue": span(text, "kata"),
        "speaker": span(text, "Ibrahim Tompo"),
        "speaker_name": "Ibrahim Tompo",
    }
    quote_indirect = {
        "kind": "indirect",
        "content": span(text, "pelaku sudah beraksi sejak 2022"),
        "cue": span(text, "Menurut"),
        "speaker": span(text, "Ibrahim", nth=1),
        "speaker_name": "Ibrahim Tompo",
    }
    return record(
        text,
        boilerplate=[
            ("ADVERTISEMENT", "promo"),
            ("Baca juga: Polisi Ungkap Jaringan Pemalsu Ijazah di Jakarta", "related"),
            ("SCROLL TO CONTINUE WITH CONTENT", "interface"),
            ("(ant/rdk)", "byline"),
            ("Terkini Lainnya\nHarga Beras Naik di Pasar Induk", "recommendations"),
        ],
        entities=[
            ("Bandung", "LOC"),
            ("BANDUNG", "LOC"),
            ("KOMPAS.com", "ORG"),
            ("Kepolisian Daerah Jawa Barat", "ORG"),
            ("Bandung", "LOC", 1),
            ("Polda Jabar", "ORG"),
            ("Ibrahim Tompo", "PER"),
            ("Ibrahim", "PER", 1),
            ("Ani Yudhoyono", "PER"),
            ("Jl. Sudirman", "LOC"),
            ("Budi Santoso", "PER"),
            ("PT Maju Jaya", "ORG"),
        ],
        quote_list=[quote_direct, quote_indirect],
    )


# --------------------------------------------------------------------------
# The promises, as checks usable on any record and its rows
# --------------------------------------------------------------------------


def content_entities(rec: Record) -> list[tuple[int, int, str]]:
    """The record's entities that lie in content (all of them, in a valid record)."""
    bp = [(b["start"], b["end"]) for b in rec["boilerplate"]]
    return sorted(
        (e["start"], e["end"], e["label"])
        for e in rec["entities"]
        if not any(s < e["end"] and e["start"] < t for s, t in bp)
    )


def decode_iob2(rows: list[Record]) -> list[tuple[int, int, str]]:
    """Entities from IOB2 tags and token offsets; an I- that continues nothing fails."""
    found = []
    for row in rows:
        current: list[Any] | None = None
        offsets = zip(row["offsets"]["start"], row["offsets"]["end"], strict=True)
        for tag, (start, end) in zip(row["ner_tags"], offsets, strict=True):
            if tag == "O":
                current = None
            elif tag.startswith("B-"):
                current = [start, end, tag[2:]]
                found.append(current)
            else:
                assert tag.startswith("I-") and current is not None, (row["id"], tag)
                assert current[2] == tag[2:], (row["id"], tag)
                current[1] = end
    return sorted(tuple(f) for f in found)


def check_clean(rec: Record, row: Record) -> None:
    """Re-based spans equal their text; nothing of the boilerplate survives."""
    text = row["text"]
    assert text == text.strip()
    assert "  " not in text and "\n\n" not in text
    parts = [e for e in row["entities"]]
    for q in row["quotes"]:
        parts += [p for p in (q["content"], q["cue"], q["speaker"]) if p]
    for part in parts:
        assert text[part["start"] : part["end"]] == part["text"], part
    # Spans with no furniture inside keep their text, but for tidied whitespace.
    raw = {e["id"]: e for e in rec["entities"]}
    for entity in row["entities"]:
        assert " ".join(entity["text"].split()) == " ".join(raw[entity["id"]]["text"].split())
    assert [e["id"] for e in row["entities"]] == [e["id"] for e in rec["entities"]]
    # Every word of content is kept, in order, and nothing else.
    masked = list(rec["text"])
    for b in rec["boilerplate"]:
        masked[b["start"] : b["end"]] = " " * (b["end"] - b["start"])
    assert text.split() == "".join(masked).split()


def check_ner(rec: Record, rows: list[Record]) -> None:
    """Tags decode back to exactly the entities; tokens and sentences stay in content."""
    text = rec["text"]
    assert decode_iob2(rows) == content_entities(rec)
    bp = [(b["start"], b["end"]) for b in rec["boilerplate"]]
    entities = content_entities(rec)
    last = -1
    for row in rows:
        assert row["text"] == text[row["start"] : row["end"]]
        assert row["id"] == f"{rec['id']}:s{row['start']}-{row['end']}"
        starts, ends = row["offsets"]["start"], row["offsets"]["end"]
        assert len(row["tokens"]) == len(row["ner_tags"]) == len(starts) == len(ends) > 0
        for token, start, end in zip(row["tokens"], starts, ends, strict=True):
            assert token == text[start:end] and token.strip() == token
            assert start >= last
            last = end
        assert starts[0] == row["start"] and ends[-1] == row["end"]
        # No sentence crosses a boilerplate span or a line break (unless an entity does).
        assert not any(row["start"] < t and s < row["end"] for s, t in bp), row["id"]
        if "\n" in row["text"]:
            assert any(
                s < row["end"] and row["start"] < t and "\n" in text[s:t] for s, t, _ in entities
            ), row["id"]
        # No sentence boundary inside an entity.
        for s, t, _ in entities:
            assert not (row["start"] < s < row["end"] < t), row["id"]
            assert not (s < row["start"] < t), row["id"]


def check_quotes(rec: Record, rows: list[Record]) -> None:
    """One row per quote; its paragraph holds the content and is content itself."""
    text = rec["text"]
    assert [r["id"] for r in rows] == [q["id"] for q in rec["quotes"]]
    for row in rows:
        para, content = row["paragraph"], row["content"]
        assert para["text"] == text[para["start"] : para["end"]] == para["text"].strip()
        assert para["start"] <= content["start"] and content["end"] <= para["end"]
        for part in (row["content"], row["cue"], row["speaker"]):
            if part:
                assert text[part["start"] : part["end"]] == part["text"]
        if "\n" not in content["text"]:
            assert "\n" not in para["text"]


def check_lines(rec: Record, rows: list[Record]) -> None:
    """Line labels cover every non-space character with its one true label."""
    text = rec["text"]
    truth = ["content"] * len(text)
    for b in rec["boilerplate"]:
        truth[b["start"] : b["end"]] = [b["label"]] * (b["end"] - b["start"])
    got: list[str | None] = [None] * len(text)
    for row in rows:
        assert row["text"] == text[row["start"] : row["end"]] == row["text"].strip() != ""
        assert "\n" not in row["text"]
        assert row["id"] == f"{rec['id']}:l{row['start']}-{row['end']}"
        assert row["line"] == text.count("\n", 0, row["start"])
        for i in range(row["start"], row["end"]):
            assert got[i] is None
            got[i] = row["label"]
    for i, char in enumerate(text):
        if char.isspace():
            continue
        assert got[i] == truth[i], (i, char, got[i], truth[i])
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts)


def check_all(rec: Record) -> dict[str, list[Record]]:
    """Every view of one record, checked, and each row valid against its schema."""
    out = {name: view_rows(name, [rec]) for name in CONFIGS}
    for name, rows in out.items():
        check = schema.check(CONFIGS[name].schema)
        for row in rows:
            errors = check(row)
            assert not errors, (name, errors)
    check_clean(rec, out["clean"][0])
    check_ner(rec, out["ner"])
    check_quotes(rec, out["quotes"])
    check_lines(rec, out["boilerplate"])
    return out


# --------------------------------------------------------------------------
# Label sets: defined once in the schema, derived from the layer labels
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["clean", "ner", "quote", "line"])
def test_view_schemas_are_draft_2020_12_with_their_urn(name: str) -> None:
    doc = schema.document(name)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["$id"] == f"urn:warta:schema:{name}"
    schema.check(name)  # compiles: uses only the keywords the checks know
    assert list(schema.features(name)) == list(doc["properties"]) == doc["required"]


def test_configs_are_registered_after_articles() -> None:
    assert list(CONFIGS) == ["articles", "clean", "ner", "quotes", "boilerplate"]
    assert [name for name, c in CONFIGS.items() if c.default] == ["articles"]


# --------------------------------------------------------------------------
# Views of records written here
# --------------------------------------------------------------------------


def test_every_view_keeps_its_promises_on_a_scraped_article() -> None:
    check_all(news())


def test_clean_drops_furniture_and_rebases_spans() -> None:
    (row,) = view_rows("clean", [news()])
    text = row["text"]
    assert "ADVERTISEMENT" not in text and "Baca juga" not in text and "(ant/rdk)" not in text
    assert text.startswith("Polisi Tangkap Pemalsu Dokumen di Bandung\nBANDUNG, KOMPAS.com")
    # Glued furniture between two words leaves one space, not a glued word.
    assert "biaya hidup. Ia juga menyebut" in text
    assert text.endswith("PT Maju Jaya.")
    assert row["status"] == {"boilerplate": "manual", "entities": "manual", "quotes": "auto"}
    direct = row["quotes"][0]
    assert direct["content"]["text"] == "Kami sudah mengamankan barang bukti,"
    assert direct["speaker"]["text"] == "Ibrahim Tompo"


def test_clean_tidies_whitespace_inside_spans_and_keeps_them_matching() -> None:
    text = "Ketua  DPR\u00a0 Puan  Maharani hadir.\n\n\nIa  berkata,   cukup."
    rec = record(text, entities=[("DPR", "ORG"), ("Puan  Maharani", "PER")])
    (row,) = view_rows("clean", [rec])
    assert row["text"] == "Ketua DPR Puan Maharani hadir.\nIa berkata, cukup."
    assert [(e["text"], e["label"]) for e in row["entities"]] == [
        ("DPR", "ORG"),
        ("Puan Maharani", "PER"),
    ]
    check_clean(rec, row)


def test_clean_of_an_article_that_is_all_boilerplate_is_empty() -> None:
    text = "Baca juga: Berita Lain\nADVERTISEMENT"
    rec = record(
        text, boilerplate=[("Baca juga: Berita Lain", "related"), ("ADVERTISEMENT", "promo")]
    )
    out = check_all(rec)
    assert out["clean"][0]["text"] == ""
    assert out["ner"] == []


def test_ner_splits_glued_scrapes_at_entity_boundaries() -> None:
    rows = view_rows("ner", [news()])
    check_ner(news(), rows)
    glued = next(r for r in rows if "terdakwaBudi" in r["text"])
    pairs = list(zip(glued["tokens"], glued["ner_tags"], strict=True))
    assert ("terdakwa", "O") in pairs
    assert ("Budi", "B-PER") in pairs and ("Santoso", "I-PER") in pairs


def test_ner_sentences_follow_stops_lines_and_boilerplate() -> None:
    rows = view_rows("ner", [news()])
    texts = [r["text"] for r in rows]
    # The headline has no stop but is its own sentence: a line break ends a sentence.
    assert texts[0] == "Polisi Tangkap Pemalsu Dokumen di Bandung"
    assert texts[1].startswith("BANDUNG, KOMPAS.com - ")
    # The sentencizer splits at stops, but never inside an entity (``Jl. Sudirman``).
    assert "Menurut Ibrahim, pelaku sudah beraksi sejak 2022." in texts
    assert any(t.endswith("hadir di Jl. Sudirman.") for t in texts)
    # The glued furniture ends one sentence and the next starts after it.
    assert any(t.endswith("biaya hidup.") for t in texts)
    assert "Ia juga menyebut nama PT Maju Jaya." in texts
    # A quote opening a line stays with its sentence.
    assert any(t.startswith('"Kami sudah mengamankan') for t in texts)
    assert all(r["status"] == "manual" for r in rows)


def test_ner_sentence_never_breaks_inside_an_entity_over_a_line_break() -> None:
    text = "Rapat di Gedung\nSate berlangsung lama. Semua hadir."
    rec = record(text, entities=[("Gedung\nSate", "LOC")])
    rows = check_all(rec)["ner"]
    assert rows[0]["tokens"][:4] == ["Rapat", "di", "Gedung", "Sate"]
    assert rows[0]["ner_tags"][:4] == ["O", "O", "B-LOC", "I-LOC"]


def test_ner_tokens_are_those_of_spacy_indonesian() -> None:
    import spacy

    text = (
        "Harga naik 10%, kata Sri Mulyani (Menkeu) di Jakarta, Rabu (26/7/2023).\n"
        "Anggaran Rp 1.000.000,00 untuk buku-buku, dll. lewat e-commerce "
        "https://contoh.id/berita?id=1 atau surel redaksi@contoh.id #banjir @warta.\n"
        "“Kami siap!” ujarnya... Lalu: ‘tidak’ (bukan ya)."
    )
    rec = record(text, entities=[("Sri Mulyani", "PER"), ("Jakarta", "LOC")])
    tokens = [t for row in check_all(rec)["ner"] for t in row["tokens"]]
    reference = spacy.blank("id").make_doc(text)
    assert tokens == [t.text for t in reference if not t.is_space]
    nlp = ner.pipeline()
    assert nlp.lang == "id" and nlp.pipe_names == ["sentencizer"]


def test_prepare_loads_the_spacy_pipeline_once() -> None:
    from warta import views

    views.prepare()
    assert ner._NLP is not None and ner.pipeline() is ner._NLP


def test_ner_gives_the_same_tokens_when_chunks_are_cached() -> None:
    rec = news()
    first = view_rows("ner", [rec])
    ner._reset()
    assert (view_rows("ner", [rec])) == first


def test_quotes_carry_their_paragraph_and_offsets() -> None:
    rec = news()
    rows = view_rows("quotes", [rec])
    check_quotes(rec, rows)
    direct, indirect = rows
    assert direct["paragraph"]["text"].startswith('"Kami sudah mengamankan barang bukti," kata')
    assert direct["paragraph"]["text"].endswith("Senin (6/5/2024).")
    assert indirect["paragraph"]["text"] == (
        "Menurut Ibrahim, pelaku sudah beraksi sejak 2022. Dr. Ani Yudhoyono hadir di Jl. Sudirman."
    )
    assert direct["status"] == "auto" and direct["kind"] == "direct"


def test_quote_paragraph_stops_at_glued_boilerplate_and_spans_line_breaks() -> None:
    text = (
        'ADVERTISEMENTIa berkata, "Kami akan datang\nbesok pagi." Baca juga: Lain\n'
        "Paragraf berikutnya."
    )
    content = span(text, "Kami akan datang\nbesok pagi.")
    rec = record(
        text,
        boilerplate=[("ADVERTISEMENT", "promo"), ("Baca juga: Lain", "related")],
        quote_list=[
            {
                "kind": "direct",
                "content": content,
                "cue": span(text, "berkata"),
                "speaker": span(text, "Ia"),
                "speaker_name": None,
            }
        ],
    )
    (row,) = check_all(rec)["quotes"]
    assert row["paragraph"]["text"] == 'Ia berkata, "Kami akan datang\nbesok pagi."'


def test_boilerplate_lines_cut_glued_furniture_into_fragments() -> None:
    rec = news()
    rows = view_rows("boilerplate", [rec])
    check_lines(rec, rows)
    labelled = [(r["text"], r["label"]) for r in rows]
    assert ("ADVERTISEMENT", "promo") in labelled
    assert ("SCROLL TO CONTINUE WITH CONTENT", "interface") in labelled
    assert (
        "Dalam sidang, kata terdakwaBudi Santoso, uang itu dipakai untuk biaya hidup.",
        "content",
    ) in labelled
    assert ("Ia juga menyebut nama PT Maju Jaya.", "content") in labelled
    # A multi-line span gives one row per line; blank lines give none.
    assert ("Terkini Lainnya", "recommendations") in labelled
    assert ("Harga Beras Naik di Pasar Induk", "recommendations") in labelled
    assert all(text.strip() for text, _ in labelled)
    assert len(rows) == len({r["id"] for r in rows})


def test_views_of_an_article_with_no_layers() -> None:
    rec = record("Satu baris saja tanpa titik\nDan baris kedua.")
    rec["status"] = {"boilerplate": "none", "entities": "none", "quotes": "none"}
    out = check_all(rec)
    assert [r["text"] for r in out["ner"]] == ["Satu baris saja tanpa titik", "Dan baris kedua."]
    assert all(tag == "O" for r in out["ner"] for tag in r["ner_tags"])
    assert out["quotes"] == []
    assert [r["label"] for r in out["boilerplate"]] == ["content", "content"]


# --------------------------------------------------------------------------
# The built corpus, loaded the way users load it
# --------------------------------------------------------------------------


@pytest.mark.slow
def test_built_configs_load_with_their_labels_and_agree_with_the_articles(
    built_rows: dict[str, tuple[list, list[Record]]],
) -> None:
    if not list(CORPUS.rglob("*.txt")):
        pytest.skip("no corpus articles")
    for name, (features, _rows) in built_rows.items():
        assert features and all(f == schema.features(CONFIGS[name].schema) for f in features)
    articles = {r["id"]: r for r in built_rows["articles"][1]}
    views = {name: rows for name, (_f, rows) in built_rows.items() if name != "articles"}
    assert sorted(r["id"] for r in views["clean"]) == sorted(articles)
    for aid, rec in articles.items():
        check_clean(rec, next(r for r in views["clean"] if r["id"] == aid))
        check_ner(rec, [r for r in views["ner"] if r["article_id"] == aid])
        check_quotes(rec, [r for r in views["quotes"] if r["article_id"] == aid])
        check_lines(rec, [r for r in views["boilerplate"] if r["article_id"] == aid])
    assert views["ner"] and views["boilerplate"]
    tags = {t for r in views["ner"] for t in r["ner_tags"]}
    assert "O" in tags and any(t.startswith("B-") for t in tags)


@pytest.mark.slow
def test_every_released_record_is_valid_for_jsonschema_itself(
    built_rows: dict[str, tuple[list, list[Record]]],
) -> None:
    import jsonschema

    for name, config in CONFIGS.items():
        validator = jsonschema.Draft202012Validator(
            schema.document(config.schema), registry=schema.registry()
        )
        for row in built_rows[name][1]:
            errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(row)]
            assert errors == [], (name, row.get("id"))


# --------------------------------------------------------------------------
# Property: any layout of furniture and entities keeps the promises
# --------------------------------------------------------------------------

WORDS = re.findall(
    r"\S+",
    "Pemerintah Provinsi Jawa Timur menyiapkan bantuan bagi warga Surabaya yang terdampak "
    "banjir, kata Gubernur Khofifah kepada wartawan. Bantuan dikirim lewat BNPB dan "
    "Kementerian Sosial ke Sidoarjo. (Rabu)",
)


@pytest.mark.parametrize("seed", range(40))
def test_random_layouts_keep_every_promise(seed: int) -> None:
    import random

    rnd = random.Random(seed)
    pieces: list[tuple[str, str | None, str | None]] = []  # (text, boilerplate, entity)
    for _ in range(rnd.randint(1, 40)):
        roll = rnd.random()
        word = rnd.choice(WORDS)
        if roll < 0.1:
            furniture = rnd.choice(["ADVERTISEMENT", "Baca juga: X", "Close Ads"])
            pieces.append((furniture, "promo", None))
        elif roll < 0.3:
            pieces.append((word.strip(".,()") or "Nama", None, rnd.choice(["PER", "ORG", "LOC"])))
        else:
            pieces.append((word, None, None))
        pieces.append((rnd.choice([" ", " ", "", "\n", "\n\n", "  ", ". "]), None, None))
    text, bp, ents = "", [], []
    for piece, bp_label, ent_label in pieces:
        start = len(text)
        text += piece
        if bp_label:
            bp.append({"start": start, "end": len(text), "label": bp_label, "text": piece})
        if ent_label and piece.strip():
            ents.append({"start": start, "end": len(text), "label": ent_label, "text": piece})
    if not text.strip():
        text, bp, ents = "Kosong.", [], []
    rec = record(text)
    rec["boilerplate"] = [{"id": f"uji-1:b{b['start']}-{b['end']}", **b} for b in bp]
    rec["entities"] = [{"id": f"uji-1:e{e['start']}-{e['end']}", **e} for e in ents]
    check_all(rec)


def test_ner_sentences_are_those_of_the_spacy_sentencizer() -> None:
    """The sentencizer's rule, applied to token kinds, splits as the pipe does on a Doc,
    blocks and the break tokens between them included (a plain break, as the
    build's line break is, but also a stop or other punctuation)."""
    import random

    from spacy.tokens import Doc

    nlp = ner.pipeline()
    pieces = ["Ia", "datang", ".", "!", "?", "...", ",", "(", ")", '"', "”", "Jl", "。", "-"]
    rng = random.Random(7)
    breaks = [ner._BREAK, ".", ","]
    assert [ner._kind(b) for b in breaks] == [ner._PLAIN, ner._STOP, ner._OTHER]
    for n in range(900):
        brk = breaks[n % 3]
        words = [rng.choice(pieces) for _ in range(rng.randint(1, 25))]
        firsts = sorted({0, *rng.sample(range(len(words)), rng.randint(0, min(3, len(words))))})
        doc_words, places = [], []
        for i, word in enumerate(words):
            if i and i in firsts:
                doc_words.append(brk)
            places.append(len(doc_words))
            doc_words.append(word)
        doc = nlp.get_pipe("sentencizer")(Doc(nlp.vocab, words=doc_words))
        expected = [i for i, at in enumerate(places) if at and doc[at].is_sent_start]
        kinds = np.array([ner._kind(w) for w in words], dtype=np.int8)
        got = ner._sentence_starts(kinds, np.array(firsts), ner._kind(brk))
        assert got.tolist() == expected, (words, firsts, brk)


def test_ner_whitespace_table_is_str_split_s() -> None:
    """Every code point that str.split() cuts at is in the table, none other."""
    table = ner._space_table()
    spaces = [c for c in range(0x110000) if chr(c).isspace()]
    assert max(spaces) < ner._SPACE_LIMIT and not table[ner._SPACE_LIMIT]
    assert np.flatnonzero(table).tolist() == spaces

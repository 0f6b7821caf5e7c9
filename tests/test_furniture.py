"""The furniture line model (warta.furniture): lexicon, lines and segments, CRF, bundle.

All text here is invented.
"""

from __future__ import annotations

import json

import pytest

from warta.furniture import bundle, features, lexicon
from warta.furniture.model import FurnitureModel, merge
from warta.ner.bundle import MANIFEST, WEIGHTS

# One invented line per lexicon entry, which that entry must match.
EXAMPLES = {
    "read_on": "Simak ulasan lengkapnya dalam artikel berikut ini.",
    "read_also": "Baca juga: Harga Cabai di Pasar Lasem Naik Lagi",
    "related_header": "Berita Terkait",
    "video_stub": "[Gambas:Video Warta]",
    "copyright": "Copyright © Kabar Lasem 2031",
    "source_colon": "Sumber: Harian Contoh",
    "republished": "Artikel ini telah tayang di Kabarcontoh.com",
    "scroll_prompt": "SCROLL TO CONTINUE READING",
    "share_prompt": "Bagikan artikel ini",
    "tags_header": "Tags: pangan, harga",
    "page_of": "Halaman 2 dari 4",
    "advertisement": "ADVERTISEMENT",
    "google_news": "Ikuti kami di Google News",
    "join_channel": "Yuk gabung ke saluran WhatsApp Kabar Lasem",
    "get_app": "Unduh aplikasi Kabar Lasem sekarang",
    "credit_colon": "Penulis: Rina Wati",
    "contribution_note": "Budi Santoso berkontribusi dalam penulisan artikel ini.",
    "signoff": "(rwt/bds)",
    "photo_credit": "Foto: Dok. Kabar Lasem",
    "recommend_header": "Terpopuler",
}
PROSE = "Harga cabai di pasar itu naik dua kali lipat, kata seorang pedagang kepada wartawan."


def test_every_entry_has_an_example_and_a_known_category():
    ids = [e.id for e in lexicon.entries()]
    assert sorted(ids) == sorted(EXAMPLES)
    from warta import schema

    known = set(schema.labels(schema.LAYER_LABELS["boilerplate"]))
    assert {e.label for e in lexicon.entries()} <= known


@pytest.mark.parametrize("entry_id", sorted(EXAMPLES))
def test_each_entry_matches_its_invented_example(entry_id):
    assert entry_id in {e.id for e in lexicon.hits(EXAMPLES[entry_id])}


def test_prose_hits_no_entry():
    assert lexicon.hits(PROSE) == []
    assert lexicon.anywhere().search(PROSE) is None


def test_a_glued_line_is_cut_at_cues_and_sentence_ends():
    text = (
        f"{PROSE} Baca: Judul Berita Lain di Lasem\nBaris kedua.Rina berkontribusi dalam penulisan."
    )
    units = features.lines(text)
    pieces = [text[u.start : u.end] for u in units]
    assert pieces[:2] == [PROSE, "Baca: Judul Berita Lain di Lasem"]
    assert [u.part for u in units[:2]] == ["first", "last"]
    assert pieces[-1] == "Rina berkontribusi dalam penulisan."
    assert all(p == p.strip() and p for p in pieces)


def test_a_line_without_cue_or_rule_span_stays_whole():
    text = f"\n  {PROSE} Dia pulang.  \n\nJudul"
    units = features.lines(text)
    assert [(u.part, u.blank_before) for u in units] == [("whole", True), ("whole", True)]
    assert text[units[0].start : units[0].end] == f"{PROSE} Dia pulang."


def test_training_labels_take_a_lines_majority_category():
    text = "Penulis: Rina Wati\nIsi berita yang panjang sekali di sini.\nEditor"
    units = features.lines(text)
    gold = [{"start": 0, "end": 18, "label": "byline"}, {"start": 20, "end": 23, "label": "promo"}]
    assert features.gold_labels(text, units, gold) == ["byline", "O", "O"]


def test_blind_features_leave_out_the_rules_output():
    text = "Penulis: Rina Wati\nIsi berita."
    units = features.lines(text)
    spans = [{"start": 0, "end": 18, "label": "byline"}]
    seen = features.article_features(text, units, spans)
    blind = features.article_features(text, units, spans, blind=True)
    assert "rule=byline" in seen[0] and "+1:rule=none" not in seen[0]
    assert not any(k.startswith(("rule", "+1:rule", "-1:rule")) for f in blind for k in f)


def _articles() -> list[tuple[str, list[dict]]]:
    """Invented articles whose furniture the rules miss: a lone cue line after the story."""
    out = []
    for k in range(6):
        body = (
            f"KOTA{k}, Kabar - Warga desa ke-{k} menanam padi di sawah.\n\nPanen tahun ini baik.\n"
        )
        cue = f"Simak ulasan ke-{k} dalam artikel berikut ini."
        text = body + cue + "\n"
        out.append((text, [{"start": len(body), "end": len(body) + len(cue), "label": "related"}]))
    return out


def test_training_twice_gives_the_same_bytes_and_the_model_adds_lines():
    docs = _articles()
    a, b = FurnitureModel.train(docs), FurnitureModel.train(docs)
    assert a.weights and a.weights == b.weights
    assert "related" in a.labels()
    text, gold = docs[0]
    found = a.annotate(text)
    assert [(s["start"], s["end"], s["label"]) for s in found] == [
        (gold[0]["start"], gold[0]["end"], "related")
    ]


def test_the_model_keeps_every_rule_span():
    from warta.annotators import boilerplate as rules

    model = FurnitureModel.train(_articles())
    text = "Penulis: Rina Wati\nIsi berita di sini.\nBaca juga: Judul Lain Lagi\n"
    found = {(s["start"], s["end"], s["label"]) for s in model.annotate(text)}
    assert {(s["start"], s["end"], s["label"]) for s in rules.annotate(text)} <= found


def test_no_model_means_the_rules_alone():
    from warta.annotators import boilerplate as rules

    text = "Isi berita.\nSimak ulasan dalam artikel berikut ini.\n"
    assert FurnitureModel().annotate(text) == rules.annotate(text)


def test_merge_joins_a_run_of_one_category():
    text = "Baca juga: A\n\nJudul B\nIsi."
    spans = [
        {"start": 14, "end": 21, "label": "related"},
        {"start": 0, "end": 12, "label": "related"},
    ]
    assert merge(text, spans) == [{"start": 0, "end": 21, "label": "related", "text": text[:21]}]


def test_bundle_round_trip_and_refusals(tmp_path):
    model = FurnitureModel.train(_articles())
    folder = bundle.write(model, tmp_path / "b", training={"articles": 6})
    again = bundle.read(folder)
    assert again.weights == model.weights and again.threshold == model.threshold
    meta = json.loads((folder / MANIFEST).read_text("utf-8"))
    meta["lexicon_sha256"] = "0" * 64
    (folder / MANIFEST).write_text(json.dumps(meta), "utf-8")
    with pytest.raises(bundle.BundleError, match="lexicon"):
        bundle.read(folder)
    assert bundle.read(folder, strict=False).weights == model.weights
    (folder / WEIGHTS).write_bytes(model.weights[:-1])
    with pytest.raises(bundle.BundleError, match="sha256"):
        bundle.read(folder, strict=False)


def test_the_shipped_bundle_fits_this_code_and_is_small():
    from warta.furniture.train import SHIPPED, shipped

    model = shipped()  # strict: same features and lexicon as trained with
    assert {"O", "byline", "related", "promo"} <= set(model.labels())
    assert sum(p.stat().st_size for p in SHIPPED.iterdir()) < 2**20


def test_disabled_annotators_have_no_furniture_model():
    from warta.annotate import Annotators

    assert Annotators.disabled().furniture.weights == b""

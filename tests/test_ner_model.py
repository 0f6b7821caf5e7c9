"""The trained entity tagger (warta.ner): tokenizer, lexicons, features, model, bundle.

All text here is invented.
"""

from __future__ import annotations

import json

import pytest

from warta.doc import Doc
from warta.ner import bundle
from warta.ner.features import document_features, word_info
from warta.ner.model import NerModel, bio
from warta.schema import ENTITY, LAYERS
from warta.tokens import tokenize

from .fixtures import check_spans


def test_tokens_have_offsets_and_glued_words_split():
    text = "Kata terdakwaRudianto Wibisono&nbsp;di\u00a0Kota Lasem, (PN) 2031/2032.&rdquo;"
    tokens = tokenize(text)
    for t in tokens:
        assert text[t.start : t.end] == t.text
        assert t.text.strip() == t.text and t.text
    words = [t.text for t in tokens]
    assert words[:4] == ["Kata", "terdakwa", "Rudianto", "Wibisono"]
    assert "&nbsp;" in words and "&rdquo;" in words
    assert "\u00a0" not in "".join(words)
    assert words[words.index("2031") : words.index("2031") + 4] == ["2031", "/", "2032", "."]
    glued = tokens[2]
    assert not glued.space_before and glued.chunk == "terdakwarudianto"


def test_tokenizer_covers_hostile_input_to_its_end():
    text = ("aA" * 50_000) + ("&" * 50_000) + ("x" * 50_000)
    tokens = tokenize(text)  # how fast: bench/adversarial.py
    assert tokens[-1].end == len(text)


def test_features_of_a_known_token():
    feats, lower, ss, cls, _ = word_info("Kapolda", "kapolda")
    assert lower == "kapolda" and ss == "Xx" and cls == "TTL"
    assert {"w=kapolda", "cap", "title", "lex=TTL"} <= set(feats)
    text = "Kapolda Sutrisno Hadi tiba di Jakarta. Sutrisno menyapa warga."
    tokens = tokenize(text)
    feats = document_features(tokens, text)
    name = [t.text for t in tokens].index("Sutrisno")
    assert "-1lex=TTL" in feats[name] and "-1w=kapolda" in feats[name]
    assert "doc:capmid" in feats[name]
    assert "gaz=B-LOC" in feats[[t.text for t in tokens].index("Jakarta")]
    assert "sent0" in feats[0]
    year = word_info("2031", "2031")[0]
    assert "digit" in year and "year" in year


def test_document_evidence_carries_a_trigger_to_other_mentions():
    # A name written after a title once and alone later gets the title's evidence
    # everywhere; an abbreviation defined in brackets after an organisation gets the
    # organisation head's evidence.
    text = (
        "Camat Rudi Hartawan membuka Dinas Pangan Daerah (DPD) baru.\n"
        "Warga menyambut Hartawan. DPD menyiapkan beras."
    )
    tokens = tokenize(text)
    words = [t.text for t in tokens]
    feats = document_features(tokens, text)
    later = len(words) - 1 - words[::-1].index("Hartawan")
    assert "doc:ttl" in feats[later] and "doc:multi" in feats[later]
    abbr = len(words) - 1 - words[::-1].index("DPD")
    assert "doc:abbr=orgh" in feats[abbr]
    assert not any(f.startswith("doc:") and f != "doc:lower" for f in feats[words.index("baru")])


def test_a_trailing_type_word_and_an_abbreviated_prefix_type_the_run():
    # An English-style name puts its type word last; "Jl." types the street name after
    # its full stop; both reach the name's other mentions in the article.
    text = (
        "Tim putri tampil di Nusa Raya Cup tahun ini.\n"
        "Kantornya di Jl. Kenanga Ungu. Nusa Raya sudah siap, kata warga Kenanga."
    )
    tokens = tokenize(text)
    words = [t.text for t in tokens]
    feats = document_features(tokens, text)
    first = words.index("Nusa")
    assert "run:tail=EVW" in feats[first] and "doc:tail=evw" in feats[first]
    later = len(words) - 1 - words[::-1].index("Nusa")
    assert "doc:tail=evw" in feats[later] and "run:tail=EVW" not in feats[later]
    assert "doc:locp" in feats[len(words) - 1 - words[::-1].index("Kenanga")]
    assert not any(f.startswith("run:") for f in feats[words.index("Tim")])
    assert "lex=ORGH" in word_info("Airways", "airways")[0]  # English carriers' type word


def _doc(text, marks):
    """An invented training article: entities given as (surface, label), first occurrences."""
    ents, at = [], 0
    for surface, label in marks:
        start = text.index(surface, at)
        ents.append({"start": start, "end": start + len(surface), "label": label})
        at = start + len(surface)
    return text, ents, []


NAMES = ["Budi Santoso", "Rina Wulandari", "Agus Pratama", "Dewi Lestari", "Hendra Gunawan"]
PLACES = ["Bandung", "Surabaya", "Medan", "Makassar", "Semarang"]


def _training_docs():
    docs = []
    for k in range(30):
        name, place = NAMES[k % 5], PLACES[(k * 2) % 5]
        text = (
            f"Bupati {name} meninjau pasar di {place} pada hari Senin.\n"
            f"Menurut {name.split()[0]}, harga beras di {place} stabil."
        )
        docs.append(
            _doc(text, [(name, "PER"), (place, "LOC"), (name.split()[0], "PER"), (place, "LOC")])
        )
    return docs


@pytest.fixture(scope="module")
def model():
    return NerModel.train(_training_docs(), params={"max_iterations": 60})


def test_a_small_model_tags_an_obvious_entity(model):
    text = "Bupati Rina Wulandari meninjau pasar di Medan pada hari Senin."
    got = {(e["text"], e["label"]) for e in model.annotate(text)}
    assert ("Rina Wulandari", "PER") in got
    assert ("Medan", "LOC") in got


def test_predicted_spans_are_valid(model):
    text = (
        "Beranda  Berita\nBupati Agus Pratama meninjau pasar di  Surabaya  pada hari Senin.\n"
        "Menurut Agus,\u00a0harga beras di Makassar stabil.\n"
        "Baca juga: Bupati Dewi Lestari di Medan"
    )
    boiler = [{"start": 0, "end": 15}]
    b = text.index("Baca juga")
    boiler.append({"start": b, "end": len(text)})
    spans = model.annotate(text, boiler)
    assert spans
    check_spans(text, spans, ENTITY, outside=boiler)


def test_bio_tags_cover_entity_tokens():
    text = "Kepala Dinas Pariwisata Kota Lasem hadir."
    tokens = tokenize(text)
    tags = bio(tokens, [{"start": 7, "end": 23, "label": "ORG"}])
    assert tags[:4] == ["O", "B-ORG", "I-ORG", "O"]


def test_bundle_written_twice_is_byte_identical(tmp_path):
    docs = _training_docs()
    a = bundle.write(NerModel.train(docs, params={"max_iterations": 30}), tmp_path / "a")
    b = bundle.write(NerModel.train(docs, params={"max_iterations": 30}), tmp_path / "b")
    for name in (bundle.WEIGHTS, bundle.MANIFEST):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    loaded = bundle.read(a)
    assert loaded.labels() == ["B-LOC", "B-PER", "I-PER", "O"]
    meta = (a / bundle.MANIFEST).read_text()
    assert "lexicons_sha256" in meta and "python-crfsuite" in meta


def test_a_damaged_bundle_is_refused(tmp_path):
    folder = bundle.write(
        NerModel.train(_training_docs()[:5], params={"max_iterations": 10}), tmp_path / "m"
    )
    weights = folder / bundle.WEIGHTS
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(bundle.BundleError):
        bundle.read(folder)


def test_train_writes_the_same_bundle_twice(tmp_path):
    """`python build.py train` on a small invented corpus: byte-identical bundles that load."""
    from bench.build_bench import write_articles
    from warta.cli import main

    write_articles(tmp_path / "c", range(12), LAYERS)
    outs = [tmp_path / "b1", tmp_path / "b2"]
    for out in outs:
        assert main(["train", "--corpus", str(tmp_path / "c"), "--out", str(out)]) == 0
    for name in (bundle.WEIGHTS, bundle.MANIFEST):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    model = bundle.read(outs[0])
    assert model.rule_hints and model.labels()
    meta = json.loads((outs[0] / bundle.MANIFEST).read_text("utf-8"))
    assert meta["training"]["articles"] == 12 and len(meta["training"]["data_sha256"]) == 64
    assert main(["train", "--corpus", str(tmp_path / "none")]) == 1


def test_the_shipped_bundle_fits_this_code_and_is_small():
    from warta.ner.train import SHIPPED, shipped

    model = shipped()  # strict: same features, lexicons and rule cascade as trained with
    assert set(model.labels()) >= {f"B-{label}" for label in ENTITY}
    assert sum(p.stat().st_size for p in SHIPPED.iterdir()) < 20 * 2**20


def test_the_card_shows_cross_validated_entity_scores_per_label():
    from warta.export.card import entity_cv_markdown

    prf = {"precision": 0.5, "recall": 0.25, "f1": 1 / 3}
    doc = {
        "articles": 7,
        "entities": {"exact": prf, "span": prf, "per_label": {"PER": prf}},
        "entities_unseen_101_up": {"exact": prf, "span": prf, "per_label": {}},
    }
    table = entity_cv_markdown(doc).splitlines()
    assert "| exact, PER | all 7 development articles | 0.500 | 0.250 | 0.333 |" in table
    assert sum("added after the rules" in line for line in table) == 2


def test_rule_hints_mark_spans_made_on_weak_evidence():
    from warta.ner.model import _hints

    text = "Rombongan XQZR tiba di Pelabuhan Benoa."
    doc = Doc(text)
    hints = dict(zip((t.text for t in doc.tokens), _hints(doc, True), strict=True))
    assert hints["XQZR"] == "B-ORG~" and hints["Pelabuhan"] == "B-LOC" and hints["tiba"] == "O"


def test_no_span_reaching_into_boilerplate_survives_the_repairs() -> None:
    """A repair may join a name across a bracket that the furniture layer marked."""
    from warta.ner.model import _in_content

    spans = [
        {"start": 0, "end": 4, "label": "ORG"},
        {"start": 6, "end": 15, "label": "ORG"},  # reaches into [10, 20)
        {"start": 22, "end": 30, "label": "PER"},
    ]
    boilerplate = [{"start": 40, "end": 50}, {"start": 10, "end": 20}]
    assert _in_content(spans, boilerplate) == [spans[0], spans[2]]
    assert _in_content(spans, []) == spans

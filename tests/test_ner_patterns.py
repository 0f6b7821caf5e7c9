"""The entity tagger's patterns (warta.ner.patterns): one invented example per id.

All text here is invented.
"""

from __future__ import annotations

import json

import pytest

from warta.ner import patterns
from warta.ner.features import document_features
from warta.tokens import tokenize

# Per pattern id: a text it must find a name in, the name, and a near miss it must not.
EXAMPLES = {
    "initials-after-inisial": (
        "Polisi menahan seorang pria berinisial RWS di Kota Lasem.",
        "RWS",
        "Jaksa memeriksa perusahaan berinisial PT AB di Kota Lasem.",
    ),
    "age-in-brackets": (
        "Korban, Sulastri (34), dibawa ke puskesmas terdekat.",
        "Sulastri",
        "Rapat digelar pada Kamis (12/10) di balai desa.",
    ),
}


def test_every_pattern_has_an_example():
    assert {p.id for p in patterns.load()} == set(EXAMPLES)


@pytest.mark.parametrize("pattern_id", sorted(EXAMPLES))
def test_each_pattern_finds_its_name_and_not_the_near_miss(pattern_id):
    text, name, near_miss = EXAMPLES[pattern_id]
    found = [(text[h.start : h.end], h.id) for h in patterns.hits(text)]
    assert (name, pattern_id) in found
    assert pattern_id not in {h.id for h in patterns.hits(near_miss)}


def test_a_pattern_can_be_switched_off_and_used_alone():
    text, name, _ = EXAMPLES["age-in-brackets"]
    try:
        patterns.use(["initials-after-inisial"])
        assert not patterns.hits(text)
        assert set(patterns.config()) == {"initials-after-inisial"}
        patterns.use([])
        assert not patterns.hits(EXAMPLES["initials-after-inisial"][0])
        with pytest.raises(patterns.PatternError, match="no pattern"):
            patterns.use(["no-such-pattern"])
    finally:
        patterns.use(None)
    assert [text[h.start : h.end] for h in patterns.hits(text)] == [name]


def test_a_hit_is_a_feature_of_its_token_and_of_the_same_word_elsewhere():
    text = "Polisi menahan pria berinisial RWS kemarin. Kini RWS ditahan, kata polisi."
    tokens = tokenize(text)
    feats = document_features(tokens, text)
    per_mention = [f for t, f in zip(tokens, feats, strict=True) if t.text == "RWS"]
    assert "pat=initials-after-inisial" in per_mention[0]
    assert "pat=initials-after-inisial" not in per_mention[1]
    assert all("patdoc=PER" in f for f in per_mention)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "x", "label": "PERSON", "pattern": "(?P<name>A)"}, "label 'PERSON'"),
        ({"id": "x", "label": "PER", "pattern": "A"}, "group"),
        ({"id": "x", "label": "PER", "pattern": "(?P<name>A"}, "does not compile"),
        ({"id": "x", "label": "PER"}, "add the field"),
    ],
)
def test_a_bad_patterns_file_is_refused_naming_the_entry(tmp_path, entry, message):
    path = tmp_path / "patterns.json"
    path.write_text(json.dumps({"entries": [entry]}), encoding="utf-8")
    with pytest.raises(patterns.PatternError, match=message) as err:
        patterns.load(path)
    assert str(path) in str(err.value) and "'x'" in str(err.value)


def test_a_repeated_id_is_refused(tmp_path):
    entry = {"id": "x", "label": "PER", "pattern": "(?P<name>A)"}
    path = tmp_path / "patterns.json"
    path.write_text(json.dumps({"entries": [entry, entry]}), encoding="utf-8")
    with pytest.raises(patterns.PatternError, match="twice"):
        patterns.load(path)


def test_a_file_that_is_no_json_is_refused_naming_it(tmp_path):
    path = tmp_path / "patterns.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(patterns.PatternError, match="fix its JSON") as err:
        patterns.load(path)
    assert str(path) in str(err.value)

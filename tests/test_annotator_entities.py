"""Tests of the automatic entity tagger on invented Indonesian news-style text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.annotators.entities import annotate
from warta.schema import ENTITY
from warta.tokens import tokenize

from .fixtures import check_spans

LABELS = set(ENTITY)


def spans(text: str, boilerplate=()) -> set[tuple[str, str]]:
    out = annotate(text, boilerplate)
    return {(e["text"], e["label"]) for e in out}


def check_valid(text: str, out: list[dict], boilerplate=()) -> None:
    """The invariants every entity layer keeps (docs/GUIDELINES.md, sections 1 and 3)."""
    check_spans(text, out, LABELS, outside=boilerplate)


def test_titles_are_left_out_of_person_names() -> None:
    text = (
        "Menteri Keuangan Sulastri Wibowati mengatakan anggaran cukup. "
        "Gubernur Jawa Tengah Bramantyo Kusumo hadir di acara itu."
    )
    got = spans(text)
    assert ("Sulastri Wibowati", "PER") in got
    assert ("Bramantyo Kusumo", "PER") in got
    assert ("Jawa Tengah", "LOC") in got
    assert not any(t.startswith(("Menteri", "Gubernur")) for t, _ in got)


def test_dateline_gives_place_and_outlet() -> None:
    text = "SURABAYA, KOMPAS.com - Warga memadati alun-alun pada Minggu pagi."
    got = spans(text)
    assert ("SURABAYA", "LOC") in got
    assert ("KOMPAS.com", "ORG") in got
    got = spans("Liputan6.com, Pekanbaru - Hujan deras turun sejak pagi.")
    assert ("Liputan6.com", "ORG") in got and ("Pekanbaru", "LOC") in got


def test_prefixes_make_organisations_and_places() -> None:
    text = (
        "Dinas Perhubungan Kota Tanjungsari menutup Jalan Merpati Raya. "
        "Warga Kabupaten Lembahhijau mengadu ke Pengadilan Negeri Lembahhijau, "
        "sementara PT Sinar Harapan Makmur membantah."
    )
    got = spans(text)
    assert ("Dinas Perhubungan Kota Tanjungsari", "ORG") in got
    assert ("Jalan Merpati Raya", "LOC") in got
    assert ("Kabupaten Lembahhijau", "LOC") in got
    assert ("Pengadilan Negeri Lembahhijau", "ORG") in got
    assert ("PT Sinar Harapan Makmur", "ORG") in got


def test_gazetteer_and_acronyms() -> None:
    text = "Penyidik KPK memeriksa pejabat di Jakarta dan Singapura lewat WhatsApp."
    got = spans(text)
    assert {
        ("KPK", "ORG"),
        ("Jakarta", "LOC"),
        ("Singapura", "LOC"),
        ("WhatsApp", "PRODUCT"),
    } <= got


def test_glued_scrape_is_split() -> None:
    text = "Jaksa menghadirkan terdakwaHartono Wijayakusuma dalam sidang kemarin."
    out = annotate(text)
    assert {
        "start": text.index("Hartono"),
        "end": text.index(" dalam"),
        "label": "PER",
        "text": "Hartono Wijayakusuma",
    } in out
    assert [t.text for t in tokenize("dariBandung")] == ["dari", "Bandung"]


def test_sentence_initial_common_words_are_not_names() -> None:
    got = spans("Namun pekerjaan belum selesai. Selain itu, hujan turun. Kini warga menunggu.")
    assert got == set()


def test_tokenised_text_and_brackets() -> None:
    text = "Semarang ( ANTARA ) - Pakar dari Badan Riset Pangan ( BRP ) , Arumsari , kata dia ."
    got = spans(text)
    assert ("Semarang", "LOC") in got and ("ANTARA", "ORG") in got
    assert ("Badan Riset Pangan", "ORG") in got and ("BRP", "ORG") in got


def test_boilerplate_is_never_tagged() -> None:
    text = "Baca juga: Presiden Joko Widodo ke Bali\nWarga Surabaya bersiap."
    boil = [{"start": 0, "end": text.index("\n"), "label": "related"}]
    out = annotate(text, boil)
    check_valid(text, out, boil)
    assert {(e["text"], e["label"]) for e in out} == {("Surabaya", "LOC")}


_PIECES = ["Jakarta", "Presiden ", "KPK", "Kota ", "PT ", " dan ", ".com", "&ndash;", "dariX"]
_ALPHABET = st.sampled_from(
    [*"aAbBKkPpZz ,.-()\"'’\n\t&;#0123456789/:+@_éÉ\u00a0\u200b\ufeffçİı", *_PIECES]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=200).map("".join))
def test_any_text_gives_valid_flat_spans(text: str) -> None:
    check_valid(text, annotate(text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.integers(0, 300), st.integers(0, 300))
def test_any_unicode_and_boilerplate(text: str, a: int, b: int) -> None:
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    boil = [{"start": a, "end": b, "label": "promo"}] if a < b else []
    check_valid(text, annotate(text, boil), boil)


def test_pathological_inputs_keep_the_invariants() -> None:
    """Degenerate runs of 40,000 characters, through the rules and the tagger (how fast
    they go is measured by bench/adversarial.py, not here)."""
    from warta.ner.train import shipped

    tagger = shipped()
    bad = [
        "A" * 40_000,
        "a" * 40_000,
        "Ab" * 20_000,
        "aB" * 20_000,
        "x." * 20_000,
        "Kota " * 8_000,
        "Jakarta-" * 5_000,
        "(A) " * 10_000,
        "&amp" * 10_000,
        "\n" * 40_000,
        "PT Kota Presiden Bandara " * 1_600,
    ]
    for text in bad:
        for tag in (annotate, tagger.annotate):
            check_valid(text, tag(text))


def test_given_names_that_are_also_words_start_the_name_after_a_title() -> None:
    got = spans("Menteri Keuangan Sri Wahyuningsih meninjau pasar. Juru Bicara Budi Hartono hadir.")
    assert ("Sri Wahyuningsih", "PER") in got
    assert ("Budi Hartono", "PER") in got


def test_brand_followed_by_country_is_the_local_company() -> None:
    got = spans("Kemarin Shopee Indonesia meluncurkan promo, dan Netflix Malaysia menyusul.")
    assert ("Shopee Indonesia", "ORG") in got
    assert ("Netflix Malaysia", "ORG") in got
    assert ("Indonesia", "LOC") not in got


def test_hyphenated_acronym_joins_but_place_ranges_split() -> None:
    got = spans("Pejabat Kemenkop-UKM dan staf Kemenpan-RB menempuh rute Jogja-Bandung.")
    assert ("Kemenkop-UKM", "ORG") in got
    assert ("Kemenpan-RB", "ORG") in got
    assert ("Jogja", "LOC") in got and ("Bandung", "LOC") in got
    got = spans("Patroli gabungan TNI-Polri dijaga ketat.")
    assert ("TNI", "ORG") in got and ("Polri", "ORG") in got


def test_english_job_titles_are_left_out() -> None:
    text = (
        "Hal itu disampaikan Head of Public Affairs Grab Indonesia Rahmi Kusumawati. "
        "Chief Executive Officer Nusa Digital Corp, Bayu Prasetya, setuju. "
        "Ia kini kuliah di President University."
    )
    got = spans(text)
    assert ("Rahmi Kusumawati", "PER") in got
    assert ("Grab Indonesia", "ORG") in got
    assert not any(w in t for t, _ in got for w in ("Head", "Public", "Affairs", "Officer"))
    assert ("President University", "ORG") in got


def test_minister_portfolio_with_dan_and_bidang_field_stay_in_the_title() -> None:
    text = (
        "Menteri Pendidikan dan Kebudayaan Wiranto Sasmita hadir bersama "
        "Staf Khusus Menteri Hukum dan HAM Bidang Reformasi Birokrasi Yolanda Handayani."
    )
    got = spans(text)
    assert ("Wiranto Sasmita", "PER") in got
    assert ("Yolanda Handayani", "PER") in got
    assert not any(t.startswith(("Kebudayaan", "Bidang", "Reformasi", "HAM")) for t, _ in got)
    got = spans("Kementerian Koperasi dan UKM menggelar rapat.")
    assert ("Kementerian Koperasi dan UKM", "ORG") in got


def test_generic_terms_ukm_and_tanah_air() -> None:
    got = spans("Produk UKM dari berbagai daerah di Tanah Air dipamerkan di Tanah Abang.")
    assert not any(t in ("UKM", "Tanah Air") for t, _ in got)
    assert ("Tanah Abang", "LOC") in got


def test_english_word_names_are_products_not_people() -> None:
    got = spans("Program Smart Pay dan ponsel Galaxy S24 ramai dibicarakan, termasuk Project Z.")
    assert ("Smart Pay", "PRODUCT") in got
    assert ("Galaxy S24", "PRODUCT") in got
    assert ("Project Z", "PRODUCT") in got
    assert not any(label == "PER" for _, label in got)


def test_platform_brand_is_company_or_app_by_context() -> None:
    text = (
        "Pemerintah memanggil Shopee soal tarif. Shopee menegaskan tarif tidak naik. "
        "Pedagang berjualan di Shopee sejak lama, dan banyak pembeli lewat aplikasi Shopee."
    )
    out = annotate(text)
    labels = [e["label"] for e in out if e["text"] == "Shopee"]
    assert labels == ["ORG", "ORG", "PRODUCT", "PRODUCT"]


def test_sentence_initial_given_name_starts_a_name() -> None:
    got = spans("Budi Santoso hadir di Surabaya.")
    assert ("Budi Santoso", "PER") in got


def test_spans_say_whether_a_strong_cue_made_them() -> None:
    text = "Gubernur Bali Wayan Sukarsa meninjau Pelabuhan Benoa bersama tim XQZR."
    plain = annotate(text)
    marked = annotate(text, with_strength=True)
    assert [{k: v for k, v in s.items() if k != "strong"} for s in marked] == plain
    assert all(isinstance(s["strong"], bool) for s in marked)
    strength = {s["text"]: s["strong"] for s in marked}
    # A place prefix is a strong cue; an unknown all-capitals word is an ORG on weak evidence.
    assert strength["Pelabuhan Benoa"] is True and strength["XQZR"] is False


def _cue_entries() -> list[dict]:
    from warta.annotators import entities

    path = Path(entities.__file__).with_name("entity_cues.json")
    return json.loads(path.read_text(encoding="utf-8"))["entries"]


def _cue_constants() -> dict[str, str]:
    """Which module constant of the cascade each entry of entity_cues.json is (by identity)."""
    from warta.annotators import entities

    return {
        cue: name
        for name, value in vars(entities).items()
        for cue, words in entities._CUES.items()
        if value is words and name.isupper() and name != "_CUES"
    }


def _found(text: str, expect: list) -> list:
    """The cascade's entities of ``text`` in the shape of ``expect`` (with strength if asked)."""
    strong = any(len(x) == 3 for x in expect)
    return [
        [e["text"], e["label"], e["strong"]] if strong else [e["text"], e["label"]]
        for e in annotate(text, (), with_strength=strong)
    ]


def _clear_caches(module) -> None:
    for value in vars(module).values():
        if hasattr(value, "cache_clear"):
            value.cache_clear()


@pytest.mark.parametrize("entry", _cue_entries(), ids=lambda e: e["id"])
def test_each_cue_list_decides_its_example(entry: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each list gives its invented example exactly its entities, and emptying the list
    changes them: no list is dead weight."""
    from warta.annotators import entities

    assert entry["words"] == sorted(set(entry["words"])) and entry["words"]
    assert _found(entry["example"], entry["expect"]) == entry["expect"]
    constant = _cue_constants()[entry["id"]]
    left = getattr(entities, constant) - frozenset(entry["words"])
    monkeypatch.setattr(entities, constant, left)
    _clear_caches(entities)
    try:
        assert _found(entry["example"], entry["expect"]) != entry["expect"]
    finally:
        monkeypatch.undo()
        _clear_caches(entities)


def test_every_cue_list_feeds_a_constant_of_the_cascade() -> None:
    assert {e["id"] for e in _cue_entries()} == set(_cue_constants())


def test_a_broken_cue_file_is_refused_naming_it(tmp_path: Path) -> None:
    from warta.annotators import entities

    path = tmp_path / "entity_cues.json"
    path.write_text('{"entries": [{"id": "a", "words": ["x"]}, {"id": "a", "words": []}]}')
    with pytest.raises(entities.CueError, match="listed twice"):
        entities._entity_cues(path)
    path.write_text('{"entries": [{"words": ["x"]}]}')
    with pytest.raises(entities.CueError, match="fix its JSON") as err:
        entities._entity_cues(path)
    assert str(path) in str(err.value)


def _rule_entries() -> list[dict]:
    from warta.annotators import entities

    return json.loads(entities._RULE_FILE.read_text("utf-8"))["rules"]


@pytest.mark.parametrize("rule", _rule_entries(), ids=lambda r: r["id"])
def test_each_rule_decides_its_example_and_can_be_switched_off(rule: dict) -> None:
    """Each rule gives its invented example exactly its entities with every rule on,
    and something else with that rule alone off."""
    from warta.annotators import entities

    assert rule["why"] and _found(rule["example"], rule["expect"]) == rule["expect"]
    entities.use_rules([rule["id"]])
    try:
        assert _found(rule["example"], rule["expect"]) != rule["expect"]
    finally:
        entities.use_rules(())


def test_every_rule_id_is_one_switch_of_the_cascade() -> None:
    """The ids in entity_rules.json are exactly the switches the cascade's code reads."""
    import re

    from warta.annotators import entities

    source = Path(entities.__file__).read_text("utf-8")
    assert set(re.findall(r'_on\("([a-z-]+)"\)', source)) == set(entities.RULES)


def test_an_unknown_rule_or_a_repeated_id_is_refused_naming_the_file(tmp_path: Path) -> None:
    from warta.annotators import entities

    with pytest.raises(entities.CueError, match="no rule nosuch") as err:
        entities.use_rules(["nosuch"])
    assert "entity_rules.json" in str(err.value)
    path = tmp_path / "entity_rules.json"
    path.write_text('{"rules": [{"id": "a"}, {"id": "a"}]}')
    with pytest.raises(entities.CueError, match="listed twice"):
        entities.rule_ids(path)


def test_every_product_cue_word_types_an_unknown_name_after_it() -> None:
    """Each word of the ``product-before`` list (``aplikasi``, ``merek``, ...) makes the
    unknown name after it a PRODUCT, not the person an unknown name defaults to."""
    from warta.annotators import entities

    wrong = {}
    for word in sorted(entities.PRODUCT_BEFORE):
        text = f"Warga memakai {word} Nusakarsa setiap hari."
        found = _found(text, [])
        if found != [["Nusakarsa", "PRODUCT"]]:
            wrong[word] = found
    assert not wrong

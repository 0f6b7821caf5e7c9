"""Repairs of the entity tagger's span edges (warta.ner.repair), each by its id.

Every text here is invented for the tests.
"""

from __future__ import annotations

import itertools

import pytest

from warta.ner import repair


def _spans(text: str, *named: tuple[str, str]) -> list[dict]:
    """Spans of the given (text, label) pieces, found left to right."""
    out, at = [], 0
    for piece, label in named:
        start = text.index(piece, at)
        at = start + len(piece)
        out.append({"start": start, "end": at, "label": label, "text": piece})
    return out


def _named(spans: list[dict]) -> list[tuple[str, str]]:
    return [(s["text"], s["label"]) for s in spans]


def test_every_repair_has_an_id_and_a_test_here() -> None:
    tested = {
        name.removeprefix("test_").split("__")[0]
        for name in globals()
        if name.startswith("test_") and "__" in name
    }
    assert set(repair.REPAIRS) <= tested


def test_bracket_abbreviation__an_unclosed_bracket_gives_the_name_and_its_abbreviation() -> None:
    text = "Direksi PT Angkutan Kota Raya (Angkora) menaikkan tarif."
    spans = _spans(text, ("PT Angkutan Kota Raya (Angkora", "ORG"))
    assert _named(repair.bracket_abbreviation(text, spans)) == [
        ("PT Angkutan Kota Raya", "ORG"),
        ("Angkora", "ORG"),
    ]


def test_bracket_abbreviation__a_name_that_goes_on_after_the_bracket_is_one_span() -> None:
    text = "Petugas Dinas Pemadam Kebakaran (Damkar) Kota Bogor tiba."
    spans = _spans(text, ("Dinas Pemadam Kebakaran (Damkar", "ORG"), ("Kota Bogor", "LOC"))
    assert _named(repair.bracket_abbreviation(text, spans)) == [
        ("Dinas Pemadam Kebakaran (Damkar) Kota Bogor", "ORG")
    ]


def test_bracket_abbreviation__balanced_spans_are_left_alone() -> None:
    text = "Pengadilan Negeri (PN) Bogor menunda sidang."
    spans = _spans(text, ("Pengadilan Negeri (PN) Bogor", "ORG"))
    assert repair.bracket_abbreviation(text, spans) == spans


@pytest.mark.parametrize(
    ("text", "tagged", "whole"),
    [
        ("Tim itu lolos ke Piala Asia U-20 tahun depan.", "Piala Asia U", "Piala Asia U-20"),
        (
            "Musim Liga Nusantara 2024/2025 dimulai.",
            "Liga Nusantara 2024",
            "Liga Nusantara 2024/2025",
        ),
        ("Ia menonton Festival Kopi 2026 di Bogor.", "Festival Kopi", "Festival Kopi 2026"),
    ],
)
def test_event_edition__the_edition_belongs_to_the_event(
    text: str, tagged: str, whole: str
) -> None:
    spans = _spans(text, (tagged, "EVENT"))
    assert _named(repair.event_edition(text, spans)) == [(whole, "EVENT")]


def test_event_edition__other_labels_and_numbers_in_a_sentence_are_left_alone() -> None:
    text = "Warga Bogor 2000 orang berkumpul."
    spans = _spans(text, ("Bogor", "LOC"))
    assert repair.event_edition(text, spans) == spans


@pytest.mark.parametrize(
    ("text", "name", "label", "parts"),
    [
        (
            "Rapat Dinas Perikanan dan Pemkab Sumba Timur berlangsung lama.",
            "Dinas Perikanan dan Pemkab Sumba Timur",
            "ORG",
            ["Dinas Perikanan", "Pemkab Sumba Timur"],
        ),
        (
            "Bantuan dari Pemerintah Kota Lasem dan Provinsi Jawa Tengah tiba.",
            "Pemerintah Kota Lasem dan Provinsi Jawa Tengah",
            "ORG",
            ["Pemerintah Kota Lasem", "Provinsi Jawa Tengah"],
        ),
        (
            "Banjir melanda Kota Lasem dan Kabupaten Rembang kemarin.",
            "Kota Lasem dan Kabupaten Rembang",
            "LOC",
            ["Kota Lasem", "Kabupaten Rembang"],
        ),
    ],
)
def test_coordinated_names__two_names_joined_by_dan_are_two_spans(text, name, label, parts):
    spans = _spans(text, (name, label))
    assert _named(repair.coordinated_names(text, spans)) == [(p, label) for p in parts]


@pytest.mark.parametrize(
    "name",
    [
        "Kementerian Koperasi dan UKM",
        "Dinas Perdagangan dan Koperasi",  # a head word as the last field of one name
        "Badan Pengawas Obat dan Makanan",
    ],
)
def test_coordinated_names__a_dan_inside_one_name_stays(name):
    text = f"Petugas {name} datang ke pasar."
    spans = _spans(text, (name, "ORG"))
    assert repair.coordinated_names(text, spans) == spans


def test_place_then_country__a_city_before_its_country_is_two_places() -> None:
    text = "Pesawat mendarat di Osaka Jepang pagi ini."
    spans = _spans(text, ("Osaka Jepang", "LOC"))
    assert _named(repair.place_then_country(text, spans)) == [("Osaka", "LOC"), ("Jepang", "LOC")]


@pytest.mark.parametrize("name", ["Korea Selatan", "Republik Indonesia", "Pulau Jepang"])
def test_place_then_country__a_country_or_a_kind_of_place_before_it_stays_whole(
    name: str,
) -> None:
    text = f"Delegasi dari {name} tiba."
    spans = _spans(text, (name, "LOC"))
    assert repair.place_then_country(text, spans) == spans


def test_repaired_spans_stay_sorted_flat_and_true_to_the_text() -> None:
    text = "Tim dari Osaka Jepang ikut Piala Asia U-20 bersama PT Angkutan Kota Raya (Angkora)."
    spans = _spans(
        text,
        ("Osaka Jepang", "LOC"),
        ("Piala Asia U", "EVENT"),
        ("PT Angkutan Kota Raya (Angkora", "ORG"),
    )
    out = repair.repaired(text, spans)
    assert [s["start"] for s in out] == sorted(s["start"] for s in out)
    for a, b in itertools.pairwise(out):
        assert a["end"] <= b["start"]
    assert all(text[s["start"] : s["end"]] == s["text"] and s["text"].strip() for s in out)
    assert len(out) == 5  # Osaka, Jepang, the event, the company and its abbreviation


def test_pattern_decides__initials_named_once_are_a_person_wherever_they_recur() -> None:
    text = "Polisi menahan pria berinisial RWS. Kemarin RWS diperiksa, kata warga PT RWS Jaya."
    spans = _spans(text, ("RWS", "ORG"), ("RWS", "ORG"), ("PT RWS Jaya", "ORG"))
    assert _named(repair.pattern_decides(text, spans)) == [
        ("RWS", "PER"),
        ("RWS", "PER"),
        ("PT RWS Jaya", "ORG"),
    ]
    assert repair.pattern_decides("Polisi menahan RWS.", spans[:1]) == spans[:1]

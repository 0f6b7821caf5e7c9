"""Person coreference: a short mention resolves to the fullest name it can stand for
(invented names throughout)."""

from __future__ import annotations

import pytest

from warta.annotators import quotes
from warta.annotators.coreference import (
    Abbreviations,
    Organisations,
    People,
    compatible,
    name_tokens,
)
from warta.schema import ENTITY


def people(*names: str) -> People:
    """Mentions at 100, 200, ... in the order given."""
    return People([(100 * (i + 1), 100 * (i + 1) + len(n), n) for i, n in enumerate(names)])


@pytest.mark.parametrize(
    ("short", "full", "quality"),
    [
        ("Santoso", "Budi Santoso", 2),  # a part of the name
        ("Budi", "Budi Santoso", 2),
        ("B. Santoso", "Budi Santoso", 2),  # an initial and a surname
        ("Bud", "Budi Santoso", 1),  # a clipped first name (three letters or more)
        ("Bu", "Budi Santoso", 0),  # two letters are no name
        ("B.", "Budi Santoso", 0),  # an initial alone names nobody
        ("Santoso Budi", "Budi Santoso", 0),  # the order of the name holds
        ("Rina", "Budi Santoso", 0),
        ("Budi Santoso Wijaya", "Budi Santoso", 0),  # longer than the name
    ],
)
def test_a_short_form_is_compatible_with_a_full_name_token_by_token(
    short: str, full: str, quality: int
) -> None:
    assert compatible(name_tokens(short), name_tokens(full)) == quality


def test_a_part_of_a_name_resolves_to_the_full_name() -> None:
    index = people("Budi Santoso", "Santoso")
    assert index.fullest("Santoso", 250) == "Budi Santoso"


def test_the_nearest_earlier_person_wins_between_two_of_one_first_name() -> None:
    index = people("Budi Santoso", "Budi Hartono", "Budi")
    assert index.fullest("Budi", 250) == "Budi Hartono"
    assert index.fullest("Budi", 150) == "Budi Santoso"


def test_before_anyone_is_named_the_first_later_mention_is_taken() -> None:
    index = people("Budi Santoso", "Budi Hartono")
    assert index.fullest("Budi", 10) == "Budi Santoso"


def test_an_exact_match_beats_a_clipped_one() -> None:
    index = people("Budiman Putra", "Bud Harun")
    assert index.fullest("Bud", 250) == "Bud Harun"


def test_the_longest_name_compatible_with_the_choice_is_given() -> None:
    index = people("Rina Kartika Sari", "Rina Sari", "Rina")
    assert index.fullest("Rina", 350) == "Rina Kartika Sari"


def test_a_mention_of_nobody_named_stays_as_it_is() -> None:
    index = people("Budi Santoso")
    assert index.fullest("Rina Wulandari", 250) == "Rina Wulandari"
    assert People([]).fullest("Rina", 0) == "Rina"


def test_the_quote_annotator_gives_the_fullest_name_without_titles() -> None:
    text = (
        "Menteri Perhubungan Budi Santoso meninjau pelabuhan itu pada Senin.\n\n"
        "\u201cKapal harus berangkat tepat waktu,\u201d kata Budi.\n"
    )
    start = text.index("Budi Santoso")
    person = {"start": start, "end": start + 12, "label": ENTITY.PER, "text": "Budi Santoso"}
    found = quotes.annotate(text, [], [person])
    assert [q["speaker_name"] for q in found] == ["Budi Santoso"]


def test_a_role_noun_resolves_to_the_nearest_person_so_described_before_it() -> None:
    index = people("Rina Lestari", "Budi Santoso", "Rina")
    roles = [{"hakim", "ketua"}, {"jaksa"}, {"hakim"}]
    assert index.described({"hakim"}, roles, 350) == "Rina Lestari"
    assert index.described({"jaksa"}, roles, 350) == "Budi Santoso"
    assert index.described({"hakim"}, roles, 150) == "Rina Lestari"
    assert index.described({"jaksa"}, roles, 50) == "Budi Santoso"  # the first after it
    assert index.described({"saksi"}, roles, 350) is None


def test_an_organisation_short_name_resolves_to_the_one_longer_name() -> None:
    orgs = Organisations(["Kemenkeu RI", "Bank Sentosa", "Bank Sentosa Jaya", "Bank  Makmur"])
    assert orgs.fullest("Kemenkeu") == "Kemenkeu RI"
    assert orgs.fullest("Bank") == "Bank"  # three longer names: no choice
    assert orgs.fullest("Bank Sentosa") == "Bank Sentosa Jaya"
    assert orgs.fullest("Dinas  Pangan") == "Dinas Pangan"
    assert Organisations([]).fullest(" ") == ""


def test_an_abbreviation_resolves_to_the_name_it_is_defined_after() -> None:
    text = "Kepala Badan Pangan Daerah (BPD) datang. Warga memuji BPD dan UMKM."
    seen: list[int] = []

    def name_before(pos: int) -> str | None:
        seen.append(pos)
        return text[:pos].split("Kepala ")[1].strip()

    abbreviations = Abbreviations(text, name_before)
    assert abbreviations.expand("BPD") == "Badan Pangan Daerah"
    assert abbreviations.expand("BPD") == "Badan Pangan Daerah"
    assert seen == [text.index("(BPD)")]  # looked up once
    assert abbreviations.expand("UMKM") is None  # never defined
    assert abbreviations.expand("b") is None and abbreviations.expand("bpd") is None

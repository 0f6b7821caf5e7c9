"""The speech cue lexicon (warta/annotators/speech_cues.json) and its morphology.

Every text here is invented for the tests. Each entry id is tested in every
form it lists: as a bare cue after a quote, as an active verb before a reported
clause, and as a passive with its agent.
"""

from __future__ import annotations

import json

import pytest

from warta.annotators import speech
from warta.annotators.quotes import annotate

from .fixtures import check_quotes

ENTRIES = json.loads(speech._DATA.read_text(encoding="utf-8"))["entries"]
CLAUSE = "harga beras akan naik bulan depan"


@pytest.mark.parametrize(
    ("root", "form"),
    [
        ("kirim", "mengirim"),
        ("pukul", "memukul"),
        ("tulis", "menulis"),
        ("sapu", "menyapu"),
        ("ambil", "mengambil"),
        ("gali", "menggali"),
        ("hapus", "menghapus"),
        ("bawa", "membawa"),
        ("fitnah", "memfitnah"),
        ("dorong", "mendorong"),
        ("cari", "mencari"),
        ("jual", "menjual"),
        ("lempar", "melempar"),
        ("rawat", "merawat"),
        ("nanti", "menanti"),
        ("klaim", "mengklaim"),
        ("proses", "memproses"),
        ("transfer", "mentransfer"),
        ("sketsa", "mensketsa"),
    ],
)
def test_men_follows_the_nasal_rules(root: str, form: str) -> None:
    assert speech.men(root) == form


def test_derivations_build_the_affixed_forms() -> None:
    assert speech.derive("kata", "meN-kan") == "mengatakan"
    assert speech.derive("aku", "meN-i") == "mengakui"
    assert speech.derive("kira", "memper-kan") == "memperkirakan"
    assert speech.derive("ujar", "ber") == "berujar"
    assert speech.derive("rencana", "ber") == "berencana"
    assert speech.derive("jelas", "di-kan") == "dijelaskan"
    with pytest.raises(ValueError, match="unknown derivation"):
        speech.derive("kata", "ter")


def test_entries_have_unique_ids_and_known_fields() -> None:
    ids = [entry["id"] for entry in ENTRIES]
    assert len(ids) == len(set(ids))
    for entry in ENTRIES:
        assert entry["object"] in ("clause", "either")
        assert entry["why"]
    cues = speech.cues()
    assert not cues.clause & cues.either  # a form is used one way
    assert cues.saying <= cues.clause


def _forms(kind: str) -> list[tuple[str, str]]:
    out = []
    for entry in ENTRIES:
        if kind == "short":
            out += [(entry["id"], form) for form in entry["short"]]
        elif kind == "active":
            forms = {speech.derive(entry["root"], d) for d in entry["active"]}
            forms |= set(entry.get("variants", []))
            if entry.get("bare_active"):
                forms.add(entry["root"])
            out += [(entry["id"], form) for form in sorted(forms)]
        else:
            out += [(entry["id"], speech.derive(entry["root"], d)) for d in entry["passive"]]
    return out


def _quotes(text: str) -> list[dict]:
    out = annotate(text)
    check_quotes(text, out)
    return out


@pytest.mark.parametrize(("entry_id", "form"), _forms("short"))
def test_a_bare_form_after_a_quote_is_its_cue(entry_id: str, form: str) -> None:
    text = f'Harga beras naik. "Stok kami menipis sejak pekan lalu," {form} Budi Santoso.'
    (quote,) = _quotes(text)
    assert quote["cue"]["text"] == form, entry_id
    assert quote["speaker_name"] == "Budi Santoso"


@pytest.mark.parametrize(("entry_id", "form"), _forms("active"))
def test_an_active_form_reports_the_clause_after_it(entry_id: str, form: str) -> None:
    clause_first = form in speech.cues().clause
    text = f"Budi Santoso {form}{'' if clause_first else ','} {CLAUSE}."
    (quote,) = _quotes(text)
    assert (quote["kind"], quote["content"]["text"]) == ("indirect", CLAUSE), entry_id
    assert quote["cue"]["text"] == form
    assert quote["speaker_name"] == "Budi Santoso"


@pytest.mark.parametrize(("entry_id", "form"), _forms("passive"))
def test_a_passive_form_with_its_agent_reports_the_clause_after_the_comma(
    entry_id: str, form: str
) -> None:
    text = f"{form.capitalize()} Budi Santoso, {CLAUSE}."
    (quote,) = _quotes(text)
    assert quote["content"]["text"] == CLAUSE, entry_id
    assert quote["cue"]["text"] == form.capitalize()
    assert quote["speaker_name"] == "Budi Santoso"


def test_a_weak_verb_with_a_noun_object_reports_nothing() -> None:
    """Scheme rule 19: a cue whose object is a noun phrase is no quote."""
    assert _quotes("Budi Santoso membenarkan kabar kenaikan harga beras itu.") == []
    assert _quotes("Budi Santoso menyampaikan sejumlah hambatan distribusi.") == []


def test_a_suspicion_in_a_case_is_no_quote() -> None:
    """Scheme rule 37: ``menduga`` is not a cue."""
    assert _quotes("Polisi menduga pelaku sudah melarikan diri ke luar kota.") == []


def test_feelings_are_no_quotes_but_beliefs_with_a_source_are() -> None:
    """Scheme rule 37: belief and confidence predicates with a clause are cues."""
    assert _quotes("Rina Wati merasa lega setelah harga beras turun.") == []
    (quote,) = _quotes("Rina Wati optimistis ekspor kopi naik tahun ini.")
    assert (quote["cue"]["text"], quote["content"]["text"]) == (
        "optimistis",
        "ekspor kopi naik tahun ini",
    )

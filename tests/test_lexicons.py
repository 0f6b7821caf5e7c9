"""The shared lexicons (warta.lexicons): one concept per file, read by every annotator.

The checks run over whatever the files hold, so a word added to a lexicon is
checked in every annotator that reads it. All text here is invented.
"""

from __future__ import annotations

import pytest

from warta import lexicons
from warta.annotators import entities, quotes
from warta.schema import ENTITY

NAME = "Budi Santoso"


@pytest.mark.parametrize("path", lexicons.files(), ids=lambda p: p.name)
def test_each_lexicon_file_loads_with_a_header_and_entries(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#"), "each lexicon says its source and licence"
    assert any(line.strip() and not line.startswith("#") for line in lines)
    stem = path.stem
    if stem in lexicons.WORD_LISTS:
        assert lexicons.words(stem)
        assert all(" " not in w for w in lexicons.words(stem)), "a word list holds single words"
    elif stem in lexicons.PHRASE_LISTS:
        assert all(len(p) > 1 for p in lexicons.phrases(stem))
    elif stem in lexicons.NAME_LISTS:
        assert lexicons.names(stem)
    elif stem == "pos_majority":
        assert lexicons.pos_majority()
    else:
        assert lexicons.proper_noun_ratio()


def test_no_word_is_both_a_person_title_and_an_organisation_or_place_head():
    titles = lexicons.words("person_titles")
    heads = lexicons.words("org_heads") | lexicons.words("place_prefixes")
    assert not titles & heads


def test_every_org_type_phrase_opens_one_organisation_name_in_the_rules():
    """The second word of a type phrase is a title elsewhere; after the first it is not."""
    wrong = []
    for phrase in sorted(lexicons.phrases("org_type_phrases")):
        assert phrase[-1] in lexicons.words("person_titles"), f"{phrase}: no title to settle"
        name = f"{_written(phrase)} Sarana Niaga Lestari"
        text = f"Warga mengadu ke {name} di Kota Lasem pekan lalu."
        found = [(e["text"], e["label"]) for e in entities.annotate(text)]
        if (name, ENTITY.ORG) not in found:
            wrong.append((phrase, found))
    assert not wrong


@pytest.mark.parametrize(
    ("lexicon", "label"), [("event_suffixes", ENTITY.EVENT), ("org_suffixes", ENTITY.ORG)]
)
def test_every_trailing_type_word_types_the_name_it_ends_in_the_rules(lexicon, label):
    """English names put the type word last (``... Cup``, ``... Airlines``)."""
    wrong = []
    for word in sorted(lexicons.words(lexicon)):
        name = f"Nusa Karsa {word.capitalize()}"
        text = f"Warga membicarakan {name} di warung pekan lalu."
        found = [(e["text"], e["label"]) for e in entities.annotate(text)]
        if (name, label) not in found:
            wrong.append((word, found))
    assert not wrong


def test_generated_country_list_has_indonesian_names():
    countries = set(lexicons.names("countries"))
    assert {"Indonesia", "Jepang", "Malaysia"} <= countries


def _speaker_names(text: str) -> list[str | None]:
    """The quote annotator's speaker names in ``text``, given the rules' entities."""
    return [q["speaker_name"] for q in quotes.annotate(text, (), entities.annotate(text))]


def _written(title: tuple[str, ...]) -> str:
    return " ".join(w.capitalize() for w in title)


def _every_title() -> list[tuple[str, ...]]:
    singles = [(w,) for w in sorted(lexicons.words("person_titles"))]
    return singles + sorted(lexicons.phrases("title_phrases"))


def test_every_title_is_left_out_of_the_name_by_the_rules_and_the_quotes():
    """A title in the lexicon precedes a name in both annotators and is never part of it."""
    wrong = []
    for title in _every_title():
        text = f"Warga berkumpul di balai. Menurut {_written(title)} {NAME}, harga beras naik."
        found = [(e["text"], e["label"]) for e in entities.annotate(text)]
        if (NAME, ENTITY.PER) not in found:
            wrong.append(("entities", title, found))
        text = f'"Harga beras naik lagi," kata {_written(title)} {NAME} di Kota Lasem.'
        names = _speaker_names(text)
        if names != [NAME]:
            wrong.append(("quotes", title, names))
    assert not wrong


def _misnamed(cases: list[tuple[str, str]]) -> list[tuple[str, list[str | None]]]:
    """The (text, expected speaker name) cases whose quote gets another name."""
    out = []
    for text, name in cases:
        names = _speaker_names(text)
        if names != [name]:
            out.append((text, names))
    return out


def test_every_degree_is_left_out_of_the_speaker_name():
    cases = []
    for degree in sorted(lexicons.words("academic_degrees")):
        written = "".join(f"{c.upper()}." for c in degree)
        cases.append((f'"Harga beras naik lagi," kata {NAME}, {written}, di Kota Lasem.', NAME))
    assert not _misnamed(cases)


def test_the_function_word_file_holds_only_what_spacy_lacks():
    from spacy.lang.id.stop_words import STOP_WORDS

    assert {"yang", "dengan", "bahwa"} <= lexicons.function_words()
    assert not lexicons.words("function_words") & STOP_WORDS


def test_no_given_name_is_a_title():
    """A word that is both (``Putri``) would cut the names it starts."""
    assert not lexicons.words("person_titles") & entities.GIVEN_NAMES


def test_a_name_starting_with_a_word_of_a_title_phrase_is_kept_whole():
    """``Jaksa Agung`` is a title, ``Agung Laksana`` a name: a phrase's words are titles only
    together (unless a word is a title alone too)."""
    alone = lexicons.words("person_titles") | lexicons.words("title_words")
    words = {w for p in lexicons.phrases("title_phrases") for w in p}
    names = [f"{w.capitalize()} Laksana" for w in sorted(words - alone - lexicons.function_words())]
    cases = [(f'"Harga beras naik lagi," kata {name} di Kota Lasem.', name) for name in names]
    assert cases and not _misnamed(cases)


def test_no_function_word_opening_a_sentence_is_taken_for_a_name():
    """A capitalised function word opens a sentence; only a gazetteer name may be one."""
    names = entities._gazetteer()[0]
    wrong = []
    for word in sorted(lexicons.function_words()):
        written = word.capitalize()
        if not word.isalpha() or (written,) in names:
            continue
        text = f"Harga beras naik. {written} warga berkumpul di balai desa."
        found = [(e["text"], e["label"]) for e in entities.annotate(text)]
        if found:
            wrong.append((written, found))
    assert not wrong


def test_regenerating_without_the_train_extra_says_what_to_install(monkeypatch):
    import importlib.metadata as md

    from warta.lexicons import __main__ as regenerate

    def missing(name: str) -> str:
        raise md.PackageNotFoundError(name)

    monkeypatch.setattr(regenerate.md, "version", missing)
    with pytest.raises(SystemExit) as stop:
        regenerate.main([])
    assert "pip install" in str(stop.value.code) and "[train]" in str(stop.value.code)

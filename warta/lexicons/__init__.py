"""The word lists every annotator looks up, one concept per file.

The rule cascade, the quote annotator and the entity tagger's features read the
same files, so a title or an organisation head added here reaches all of them.
Hand-written files carry a header comment with their source and licence. The
generated ones (countries, Indonesian subdivisions, proper-noun statistics) are
rebuilt reproducibly by ``python -m warta.lexicons``; see
:mod:`warta.lexicons.__main__`.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from warta.schema import ENTITY

HERE = Path(__file__).resolve().parent

# file stem -> what its entries are; "names" files hold names as written, "words" lowercase
# words, "phrases" lowercase phrases of several words
WORD_LISTS = (
    "person_titles",
    "title_words",
    "academic_degrees",
    "org_heads",
    "org_suffixes",
    "event_suffixes",
    "place_prefixes",
    "administrative_units",
    "directions",
    "event_words",
    "product_cues",
    "months_days",
    "function_words",
    "abbreviations",
    "list_abbreviations",
    "versus_words",
    "quantifiers",
)
PHRASE_LISTS = ("title_phrases", "org_type_phrases", "generic_phrases")
NAME_LISTS = {
    "news_outlets": ENTITY.ORG,
    "products": ENTITY.PRODUCT,
    "indonesian_places": ENTITY.LOC,
    "countries": ENTITY.LOC,
    "subdivisions_id": ENTITY.LOC,
}
STATS = ("proper_nouns", "pos_majority")


def files() -> list[Path]:
    """Every lexicon file, in a fixed order."""
    names = [*WORD_LISTS, *PHRASE_LISTS, *NAME_LISTS]
    out = [HERE / f"{n}.txt" for n in names]
    out += [HERE / f"{n}.tsv" for n in STATS]
    return out


def _lines(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@cache
def words(name: str) -> frozenset[str]:
    """A lowercase word list."""
    return frozenset(w.lower() for w in _lines(HERE / f"{name}.txt"))


@cache
def function_words() -> frozenset[str]:
    """Indonesian function words: spaCy's Indonesian stop words and ``function_words.txt``
    (what news adds to them: colloquial particles of quoted speech)."""
    from spacy.lang.id.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | words("function_words")


@cache
def phrases(name: str) -> frozenset[tuple[str, ...]]:
    """A list of lowercase phrases, each as its tuple of words."""
    return frozenset(tuple(line.lower().split()) for line in _lines(HERE / f"{name}.txt"))


@cache
def names(name: str) -> tuple[str, ...]:
    """A list of names as written."""
    return tuple(dict.fromkeys(_lines(HERE / f"{name}.txt")))


@cache
def proper_noun_ratio() -> dict[str, tuple[int, int]]:
    """lowercased word -> (times tagged proper noun, times seen) in a POS-tagged news corpus."""
    path = HERE / "proper_nouns.tsv"
    out: dict[str, tuple[int, int]] = {}
    if not path.exists():
        return out
    for line in _lines(path):
        word, nnp, total = line.split("\t")
        out[word] = (int(nnp), int(total))
    return out


@cache
def pos_majority() -> dict[str, str]:
    """lowercased word -> its most frequent part-of-speech tag in a POS-tagged news corpus."""
    path = HERE / "pos_majority.tsv"
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for line in _lines(path):
        word, tag = line.split("\t")
        out[word] = tag
    return out


def sha256s() -> dict[str, str]:
    """sha256 of each lexicon file, by file name, and of spaCy's Indonesian stop words
    (read into :func:`function_words`), which another spaCy version may change."""
    out = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files() if p.exists()}
    from spacy.lang.id.stop_words import STOP_WORDS

    listed = "\n".join(sorted(STOP_WORDS)).encode("utf-8")
    out["spacy.lang.id.stop_words"] = hashlib.sha256(listed).hexdigest()
    return out

"""Word lists the entity tagger's features look up, one concept per file.

Hand-written files carry a header comment with their source and licence. The
generated ones (countries, Indonesian subdivisions, proper-noun statistics) are
rebuilt reproducibly by ``python -m warta.ner.lexicons``; see
:mod:`warta.ner.lexicons.__main__`.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from warta.schema import ENTITY

HERE = Path(__file__).resolve().parent

# file stem -> what its entries are; "names" files hold names as written, "words" lowercase words
WORD_LISTS = (
    "person_titles",
    "org_heads",
    "place_prefixes",
    "event_words",
    "product_cues",
    "months_days",
)
NAME_LISTS = {
    "news_outlets": ENTITY.ORG,
    "products": ENTITY.PRODUCT,
    "indonesian_places": ENTITY.LOC,
    "countries": ENTITY.LOC,
    "subdivisions_id": ENTITY.LOC,
}
STATS = ("proper_nouns", "pos_majority")


def files() -> list[Path]:
    """Every lexicon file the features read, in a fixed order."""
    names = [*WORD_LISTS, *NAME_LISTS]
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
    """sha256 of each lexicon file, by file name."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files() if p.exists()}

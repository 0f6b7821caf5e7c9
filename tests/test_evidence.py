"""Corpus evidence of furniture (warta.furniture.evidence): lines an outlet repeats.

Every article here is invented by the tests; the outlet and its slogan too.
"""

from __future__ import annotations

from pathlib import Path

import datasets
import numpy as np
import pytest

from warta.api import build, draft
from warta.furniture import evidence

SLOGAN = "Kabar Bogor hadir untuk warga setiap pagi dan petang"
STORIES = [
    "Warga Desa Sukamaju memanen padi lebih awal tahun ini karena cuaca cerah.\n"
    "Panen tahun ini naik dua kali lipat dibanding tahun lalu.",
    "Pedagang Pasar Anyar mengeluhkan sepinya pembeli menjelang akhir bulan.\n"
    "Sebagian memilih menutup lapak lebih cepat pada sore hari.",
    "Jalan menuju Curug Nangka kembali dibuka setelah longsor pekan lalu.\n"
    "Petugas masih berjaga di beberapa titik rawan sepanjang jalur itu.",
    "Sekolah dasar di Cibungbulang menambah dua ruang kelas baru tahun ini.\n"
    "Murid tidak lagi harus belajar bergantian pada siang hari.",
]


def _article(story: str) -> str:
    return f"BOGOR, Kabarbogor.com - {story}\n{SLOGAN}\n"


def _write(folder: Path, stories: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, story in enumerate(stories):
        path = folder / f"kabar-{i}.txt"
        path.write_text(_article(story), encoding="utf-8")
        paths.append(path)
    return paths


def _slogan_is_furniture(row: dict) -> bool:
    start = row["text"].index(SLOGAN)
    return any(b["start"] <= start and start + len(SLOGAN) <= b["end"] for b in row["boilerplate"])


def test_lines_are_compared_without_digits_and_spacing() -> None:
    assert evidence.normalised("  Edisi 12  Juni\t2026 ") == "Edisi 0 Juni 0"


def test_a_line_is_evidence_when_enough_different_articles_hold_it() -> None:
    a, b, c = (np.array([k], dtype=np.uint64) for k in (1, 1, 1))
    assert evidence.repeated([a, b, c], [0, 1, 2]) == frozenset({1})
    assert evidence.repeated([a, b], [0, 1]) == frozenset()
    # Near-duplicates (one story scraped twice) count once.
    assert evidence.repeated([a, b, c], [0, 0, 2]) == frozenset()


def test_the_outlet_is_part_of_the_key() -> None:
    line = evidence.normalised(SLOGAN)
    assert evidence.key("kabarbogor.com", line) != evidence.key("lain.com", line)


@pytest.mark.parametrize(("articles", "expected"), [(4, True), (2, False)])
def test_the_build_marks_a_line_the_outlet_repeats_across_its_articles(
    tmp_path: Path, articles: int, expected: bool
) -> None:
    _write(tmp_path / "corpus", STORIES[:articles])
    build([tmp_path / "corpus"], tmp_path / "dist", jobs=1)
    rows = [
        r
        for split in datasets.load_dataset(str(tmp_path / "dist"), "articles").values()
        for r in split
    ]
    assert len(rows) == articles
    assert all(_slogan_is_furniture(row) == expected for row in rows)


def test_draft_with_a_corpus_uses_its_evidence(tmp_path: Path) -> None:
    paths = _write(tmp_path / "corpus", STORIES)
    alone = draft(paths[0]).annotation
    with_corpus = draft(paths[0], corpus=[tmp_path / "corpus"]).annotation
    text = paths[0].read_text(encoding="utf-8")
    start = text.index(SLOGAN)

    def covered(doc: dict) -> bool:
        return any(b["start"] <= start < b["end"] for b in doc["boilerplate"])

    assert not covered(alone)
    assert covered(with_corpus)


def test_a_long_article_built_in_pieces_takes_its_outlet_to_every_piece(tmp_path: Path) -> None:
    """Its slogan sits in its last piece, far from the dateline that names the outlet."""
    from warta.annotate import PART

    paths = _write(tmp_path / "corpus", STORIES[:3])
    body = "\n".join(
        f"Paragraf {i}: warga Bogor terus membicarakan panen raya dan harga gabah di desa."
        for i in range(PART // 60)
    )
    long = tmp_path / "corpus" / "kabar-long.txt"
    long.write_text(_article(f"Warga menyambut panen raya.\n{body}"), encoding="utf-8")
    assert len(long.read_text(encoding="utf-8")) > PART and paths
    build([tmp_path / "corpus"], tmp_path / "dist", jobs=1)
    rows = {
        r["id"]: r
        for split in datasets.load_dataset(str(tmp_path / "dist"), "articles").values()
        for r in split
    }
    assert _slogan_is_furniture(rows["kabar-long"])

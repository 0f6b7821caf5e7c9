"""Duplicate texts are refused; near-duplicates are warned about and kept in one split."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.adversarial import realistic
from warta import duplicates, pipeline, splits
from warta.cli import main
from warta.validation import validate

from .test_build import tree_digest

# Invented news-like text (no real article).
BODY = (
    "KOTA SEGARA - Pemerintah Kota Segara meresmikan jembatan gantung baru di atas Sungai "
    "Lirang pada Senin pagi setelah pembangunan yang berlangsung hampir dua tahun.\n"
    "Wali Kota Segara, Ratna Wulandari, mengatakan jembatan itu akan memangkas waktu "
    "tempuh warga Desa Pelita menuju pasar kecamatan dari satu jam menjadi lima belas menit.\n"
    '"Anak-anak tidak perlu lagi menyeberang dengan perahu kecil saat air sungai sedang '
    'tinggi," ujar Ratna di sela acara peresmian.\n'
    "Jembatan sepanjang delapan puluh meter tersebut dibiayai dari anggaran daerah dan "
    "bantuan provinsi dengan nilai total sekitar sembilan miliar rupiah.\n"
    "Sejumlah warga menyambut peresmian dengan arak-arakan perahu hias dan pertunjukan "
    "rebana yang digelar di tepi sungai hingga siang hari.\n"
    "Dinas Pekerjaan Umum berjanji memeriksa kekuatan tali baja jembatan setiap tiga "
    "bulan dan memasang lampu penerangan sebelum musim hujan tiba.\n"
)
FURNITURE_A = (
    "Beranda | Berita | Daerah | Ekonomi\nSegaraPos.id - Senin, 3 Maret 2025 09:12 WIB\n",
    "Baca juga: Harga Cabai di Pasar Lirang Turun Jelang Akhir Pekan\n"
    "Editor: Damar Sasongko\nIkuti kami di media sosial untuk kabar terbaru.\n",
)
FURNITURE_B = (
    "Kabar Nusa Daily\nDiperbarui 3/3/2025, 10.40\nBagikan artikel ini\n",
    "Baca Juga:\nPelatihan Nelayan Muda Digelar di Pantai Karang Asri\n"
    "Lomba Perahu Naga Meriahkan Hari Jadi Kota\nHak cipta Kabar Nusa Daily.\n",
)
# The same topic, written differently.
OTHER = (
    "KOTA SEGARA - Warga Desa Pelita masih menunggu kepastian jadwal pembukaan jembatan "
    "gantung di Sungai Lirang yang pengerjaannya molor dari target awal.\n"
    "Kepala Desa Pelita, Hendro Mulyono, menyebut ratusan pelajar setiap hari terpaksa "
    "naik perahu kayu untuk sampai ke sekolah di seberang sungai.\n"
    '"Kami berharap pemerintah kota segera menuntaskan pekerjaan sebelum hujan datang," '
    "kata Hendro kepada wartawan.\n"
    "Menurut kontraktor pelaksana, keterlambatan terjadi karena pasokan kabel baja dari "
    "luar pulau sempat tertahan cuaca buruk selama beberapa pekan.\n"
    "Dinas Pekerjaan Umum menargetkan uji beban jembatan rampung pada akhir bulan depan "
    "sebelum dibuka untuk pejalan kaki dan sepeda motor.\n"
)


def page(body: str, furniture: tuple[str, str]) -> str:
    return furniture[0] + body + furniture[1]


def write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for aid, text in articles.items():
        (folder / f"{aid}.txt").write_text(text, encoding="utf-8")
    return folder


def ids_in_other_splits(first: str = "a") -> tuple[str, str]:
    """Two ids whose own splits differ, the second sorting before the first."""
    old = next(f"{first}{n:03d}" for n in range(1000) if splits.assign(f"{first}{n:03d}") == "test")
    new = next(f"0new{n:03d}" for n in range(1000) if splits.assign(f"0new{n:03d}") == "train")
    return old, new


def built_splits(out: Path) -> dict[str, str]:
    found = {}
    for path in sorted((out / "articles").glob("*.parquet")):
        split = path.name.split("-")[0]
        for aid in pq.read_table(path, columns=["id"]).column("id").to_pylist():
            found[aid] = split
    return found


def test_shingles_change_little_with_furniture_and_a_lot_with_the_article() -> None:
    a = duplicates.signature_of(page(BODY, FURNITURE_A))
    b = duplicates.signature_of(page(BODY, FURNITURE_B))
    c = duplicates.signature_of(page(OTHER, FURNITURE_A))
    assert (a == b).mean() >= duplicates.THRESHOLD + 0.1
    assert (a == c).mean() < duplicates.THRESHOLD - 0.3


def test_the_same_text_under_two_ids_is_an_error_and_nothing_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = page(BODY, FURNITURE_A)
    corpus = write(tmp_path / "corpus", {"berita1": text, "berita2": text.replace("\n", "\r\n")})
    report = validate([corpus])
    [problem] = report.errors
    assert problem.code == "text-duplicate"
    assert "berita1.txt" in problem.what and problem.path.endswith("berita2.txt")
    assert "remove one copy" in problem.what
    assert main(["validate", str(corpus), "--jobs", "1"]) == 1
    shown = capsys.readouterr()
    said = shown.out + shown.err
    assert "text-duplicate" in said and "berita1.txt" in said and "berita2.txt" in said

    out = tmp_path / "out"
    with pytest.raises(pipeline.BuildError) as raised:
        pipeline.build([corpus], out, jobs=1)
    assert [p.code for p in raised.value.problems] == ["text-duplicate"]
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]


def test_a_rescrape_is_a_warning_and_shares_a_split(tmp_path: Path) -> None:
    first = next(f"berita{n}" for n in range(100) if splits.assign(f"berita{n}") == "train")
    second = next(f"salinan{n}" for n in range(100) if splits.assign(f"salinan{n}") == "test")
    corpus = write(
        tmp_path / "corpus",
        {
            first: page(BODY, FURNITURE_A),
            second: page(BODY, FURNITURE_B),
            "lain1": page(OTHER, FURNITURE_A),
        },
    )
    report = validate([corpus])
    assert report.ok
    [warning] = report.warnings
    assert warning.code == "near-duplicate"
    assert f"{first}.txt" in warning.what and warning.path.endswith(f"{second}.txt")
    assert "similarity" in warning.what
    assert main(["validate", str(corpus), "--jobs", "1"]) == 0

    result = pipeline.build([corpus], tmp_path / "out", jobs=1)
    assert [w.code for w in result.warnings] == ["near-duplicate"]
    assert built_splits(tmp_path / "out") == {first: "train", second: "train", "lain1": "train"}
    assert result.stats.near_duplicate_groups == 1
    assert result.stats.near_duplicate_articles == 2
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "Near-duplicate groups: 1 (2 articles)" in card
    assert splits.GROUP_RULE in card


def test_different_articles_on_one_topic_are_not_near_duplicates(tmp_path: Path) -> None:
    corpus = write(
        tmp_path / "corpus",
        {"berita1": page(BODY, FURNITURE_A), "berita2": page(OTHER, FURNITURE_A)},
    )
    assert validate([corpus]).problems == []
    result = pipeline.build([corpus], tmp_path / "out", jobs=1)
    assert result.warnings == []
    assert result.stats.near_duplicate_groups == 0
    assert "Near-duplicate" not in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_a_released_article_keeps_its_split_when_a_near_duplicate_arrives(
    tmp_path: Path,
) -> None:
    old, new = ids_in_other_splits()
    assert new < old  # first by id would be the new one: the release record decides
    corpus = write(tmp_path / "corpus", {old: page(BODY, FURNITURE_A)})
    releases = tmp_path / "releases"
    releases.mkdir()
    # A record from before splits were recorded: the old article's own split is implied.
    record = {
        "version": "0.1.0",
        "date": "2026-01-01",
        "tools": {},
        "files": {},
        "stats": {},
        "changes": "First release: 1 articles.",
        "manifest": {old: {"text_sha256": "x"}},
    }
    (releases / "0.1.0.json").write_text(json.dumps(record), encoding="utf-8")
    pipeline.build([corpus], tmp_path / "before", jobs=1, releases=releases)
    assert built_splits(tmp_path / "before") == {old: "test"}

    write(corpus, {new: page(BODY, FURNITURE_B)})
    pipeline.build([corpus], tmp_path / "after", jobs=1, releases=releases)
    assert built_splits(tmp_path / "after") == {old: "test", new: "test"}

    # Without the record, the group follows its first article by id.
    pipeline.build([corpus], tmp_path / "unreleased", jobs=1)
    assert built_splits(tmp_path / "unreleased") == {old: "train", new: "train"}

    # A recorded split is kept even when it is not the article's own.
    record["manifest"] = {old: {"text_sha256": "x", "split": "validation"}}
    (releases / "0.1.0.json").write_text(json.dumps(record), encoding="utf-8")
    pipeline.build([corpus], tmp_path / "recorded", jobs=1, releases=releases)
    assert built_splits(tmp_path / "recorded") == {old: "validation", new: "validation"}


def test_output_is_the_same_whatever_the_number_of_jobs(tmp_path: Path) -> None:
    from bench.build_bench import write_articles

    corpus = tmp_path / "corpus"
    write_articles(corpus, range(0, 40), None)
    write(corpus, {"zz1": page(BODY, FURNITURE_A), "aa1": page(BODY, FURNITURE_B)})
    write(corpus, {"mm1": page(OTHER, FURNITURE_A), "mm2": page(OTHER, FURNITURE_B)})
    one = duplicates.plan(sorted(_files(corpus), key=lambda f: f.id), jobs=1)
    two = duplicates.plan(sorted(_files(corpus), key=lambda f: f.id), jobs=2)
    assert one == two and one.groups == 2
    a = pipeline.build([corpus], tmp_path / "one", jobs=1)
    b = pipeline.build([corpus], tmp_path / "two", jobs=2)
    assert a.warnings == b.warnings and len(a.warnings) == 2
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def _files(corpus: Path) -> list:
    from warta.corpus import discover

    return discover([corpus])


@given(st.text(alphabet="ab. \n\t", max_size=400), st.integers(1, 40))
def test_words_are_hashed_block_by_block_as_whole(text: str, block: int) -> None:
    data = text.encode()
    saved = duplicates._BLOCK
    duplicates._BLOCK = block
    try:
        by_block = duplicates._word_hashes(data)
    finally:
        duplicates._BLOCK = saved
    assert by_block.tolist() == [zlib.crc32(word) for word in data.split()]


def test_a_signature_taken_in_batches_is_the_signature_of_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text, _ = realistic(20_000)
    whole_signature = duplicates.signature_of(text)
    monkeypatch.setattr(duplicates, "_BATCH", 7)
    monkeypatch.setattr(duplicates, "_BLOCK", 100)
    assert duplicates.signature_of(text).tolist() == whole_signature.tolist()


def test_reading_release_records_loads_no_build_machinery(tmp_path: Path) -> None:
    """Validating a contribution reads the release records for their splits; it must
    not pay for importing the build, the annotators and the exporters to do so."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    code = (
        "import sys\n"
        "from warta import duplicates\n"
        f"released = duplicates.read_released({str(tmp_path)!r})\n"
        "print(sorted(m for m in ('warta.release', 'warta.pipeline', 'warta.annotate', "
        "'datasets') if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert run.stdout.strip() == "[]"

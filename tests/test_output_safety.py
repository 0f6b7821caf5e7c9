"""Commands write only where they are their own: never a checkout, the corpus, others' files."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.build_bench import write_articles
from warta import outputs
from warta.cli import main
from warta.drafting import write_draft
from warta.outputs import MARKER, OutputRefused
from warta.pipeline import build
from warta.release import CHANGELOG_HEADER, release
from warta.schema import LAYERS


def tiny_corpus(folder: Path) -> Path:
    """Two synthetic, fully annotated articles: a build of them takes a second or two."""
    write_articles(folder, range(2), LAYERS)
    return folder


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones and ``.git`` included) and its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_args(corpus: Path | str, out: Path | str) -> list[str]:
    return ["build", "--corpus", str(corpus), "--out", str(out), "--jobs", "1", "--no-auto"]


def assert_refused(
    argv: list[str], folder: Path, watched: Path, capsys: pytest.CaptureFixture[str]
) -> str:
    """Run the command; it must exit 2 naming ``folder``, before any work, leaving ``watched``."""
    before = tree_hash(watched)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{folder.resolve()}:" in err and "refused" in err
    assert len(err.strip().splitlines()) == 1, err  # one line, no traceback, no stage printed
    assert tree_hash(watched) == before
    return err


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A throwaway checkout: a ``.git`` folder, a file of the project and a tiny corpus."""
    root = tmp_path / "checkout"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "notes.md").write_text("Catatan redaksi, bukan keluaran build.\n", encoding="utf-8")
    tiny_corpus(root / "corpus")
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return tiny_corpus(tmp_path / "corpus")


# --- build: refused targets -------------------------------------------------------------------


def test_out_at_the_checkout_root_is_refused(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(checkout)
    err = assert_refused(build_args("corpus", "."), checkout, checkout, capsys)
    assert "source checkout" in err and "choose a new folder" in err


def test_out_at_the_checkout_root_through_a_symlink_and_dotdot_is_refused(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "link"
    link.symlink_to(checkout / "corpus")
    out = link / ".."  # the checkout, once the symlink is followed
    assert_refused(build_args(checkout / "corpus", out), checkout, checkout, capsys)


def test_out_at_the_corpus_is_refused(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = assert_refused(build_args(corpus, corpus), corpus, corpus, capsys)
    assert "is the corpus" in err


def test_out_inside_the_corpus_is_refused(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = assert_refused(build_args(corpus, corpus / "dist"), corpus / "dist", corpus, capsys)
    assert "inside the corpus" in err
    assert not (corpus / "dist").exists()


def test_out_containing_the_corpus_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = assert_refused(build_args(corpus, tmp_path), tmp_path, tmp_path, capsys)
    assert "contains the corpus" in err


def test_out_at_a_folder_of_someone_elses_files_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = tmp_path / "laporan"
    (theirs / "bab-1").mkdir(parents=True)
    (theirs / "ringkasan.txt").write_text("Ringkasan liputan banjir.\n", encoding="utf-8")
    (theirs / "bab-1" / "draf.txt").write_text("Draf pertama.\n", encoding="utf-8")
    err = assert_refused(build_args(corpus, theirs), theirs, tmp_path, capsys)
    assert "no earlier `build` made it" in err and "ringkasan.txt" in err


def test_out_at_a_file_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "catatan.txt"
    path.write_text("Bukan folder.\n", encoding="utf-8")
    assert_refused(build_args(corpus, path), path, tmp_path, capsys)


def test_the_library_build_refuses_before_any_work(checkout: Path) -> None:
    stages: list[str] = []
    before = tree_hash(checkout)
    with pytest.raises(OutputRefused, match="source checkout"):
        build([checkout / "corpus"], checkout, jobs=1, auto=False, on_stage=stages.append)
    with pytest.raises(OutputRefused, match="is the corpus"):
        build([checkout / "corpus"], checkout / "corpus", jobs=1, on_stage=stages.append)
    assert stages == []
    assert tree_hash(checkout) == before


def test_the_dask_build_refuses_before_starting_a_cluster(checkout: Path) -> None:
    from warta.executors import Dask

    stages: list[str] = []
    before = tree_hash(checkout)
    with pytest.raises(OutputRefused, match="contains the source checkout"):
        build([checkout / "corpus"], checkout.parent, on_stage=stages.append, executor=Dask(jobs=1))
    assert stages == []
    assert tree_hash(checkout) == before


# --- build: accepted targets ------------------------------------------------------------------


def test_rebuilding_into_an_earlier_builds_folder_works(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert main(build_args(corpus, out)) == 0
    first = tree_hash(out)
    assert json.loads((out / MARKER).read_text("utf-8"))["made_by"] == "warta build"
    assert main(build_args(corpus, out)) == 0
    assert tree_hash(out) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "dist"]  # no staging left


def test_an_empty_existing_folder_is_used(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "kosong"
    out.mkdir()
    result = build([corpus], out, jobs=1, auto=False)
    assert result.out == out
    assert (out / "articles").is_dir() and (out / MARKER).is_file()


def test_a_marker_beside_files_the_build_did_not_write_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A marker proves ownership only of what it lists: anything added since is kept."""
    out = tmp_path / "dist"
    build([corpus], out, jobs=1, auto=False)
    (out / "articles" / "catatan.txt").write_text("Ditambahkan kemudian.\n", encoding="utf-8")
    err = assert_refused(build_args(corpus, out), out, tmp_path, capsys)
    assert "articles/catatan.txt" in err and "did not write" in err

    # A marker copied into someone else's folder does not make it the build's.
    theirs = tmp_path / "lain"
    theirs.mkdir()
    (theirs / "arsip.txt").write_text("Arsip lama.\n", encoding="utf-8")
    (theirs / MARKER).write_bytes((out / MARKER).read_bytes())
    assert_refused(build_args(corpus, theirs), theirs, tmp_path, capsys)


def test_a_folder_another_command_made_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rilis"
    out.mkdir()
    (out / "README.md").write_text("Rilis.\n", encoding="utf-8")
    outputs.mark(out, "release")
    err = assert_refused(build_args(corpus, out), out, tmp_path, capsys)
    assert "made by `warta release`" in err


def test_files_added_during_the_build_are_kept(corpus: Path, tmp_path: Path) -> None:
    """Ownership is checked again at the swap: the old output is kept if the folder changed."""
    out = tmp_path / "dist"
    build([corpus], out, jobs=1, auto=False)

    def meanwhile(stage: str) -> None:
        if stage == "writing":
            (out / "baru.txt").write_text("Ditulis selama build.\n", encoding="utf-8")

    before = tree_hash(tmp_path)
    with pytest.raises(OutputRefused, match=r"baru\.txt"):
        build([corpus], out, jobs=1, auto=False, on_stage=meanwhile)
    assert tree_hash(tmp_path) == {**before, "dist/baru.txt": tree_hash(out)["baru.txt"]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "dist"]


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The process's umask set to the parameter for the test, then restored."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def modes(folder: Path) -> set[tuple[str, int]]:
    return {
        ("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode))
        for p in [folder, *folder.rglob("*")]
    }


@pytest.mark.parametrize(
    ("umask", "folder_mode", "file_mode"),
    [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)],
    indirect=["umask"],
    ids=["umask-022", "umask-027"],
)
def test_output_permissions_follow_the_umask(
    corpus: Path, tmp_path: Path, umask: int, folder_mode: int, file_mode: int
) -> None:
    out = tmp_path / "dist"
    build([corpus], out, jobs=1, auto=False)
    assert modes(out) == {("dir", folder_mode), ("file", file_mode)}
    root = tmp_path / "releases"
    result = release([corpus], root, changelog=tmp_path / "CHANGELOG.md", version="1.0.0", jobs=1)
    assert modes(result.folder) == {("dir", folder_mode), ("file", file_mode)}
    assert modes(root) == {("dir", folder_mode), ("file", file_mode)}
    assert stat.S_IMODE((tmp_path / "CHANGELOG.md").stat().st_mode) == file_mode


# --- release ----------------------------------------------------------------------------------


def release_args(corpus: Path, root: Path, changelog: Path) -> list[str]:
    return [
        *("release", "--corpus", str(corpus), "--out", str(root)),
        *("--changelog", str(changelog), "--jobs", "1"),
    ]


def test_a_releases_folder_holding_only_releases_and_their_changelog_is_used(
    corpus: Path, tmp_path: Path
) -> None:
    root = tmp_path / "releases"
    log = root / "CHANGELOG.md"
    first = release([corpus], root, changelog=log, version="1.0.0", jobs=1)
    assert json.loads((first.folder / MARKER).read_text("utf-8"))["made_by"] == "warta release"
    again = release([corpus], root, changelog=log, version="1.0.0", jobs=1)
    assert again.reproduced
    release([corpus], root, changelog=log, version="1.0.1", jobs=1)
    assert sorted(p.name for p in root.iterdir()) == [
        "1.0.0",
        "1.0.0.json",
        "1.0.1",
        "1.0.1.json",
        "CHANGELOG.md",
    ]
    assert "## 1.0.1" in log.read_text("utf-8") and "## 1.0.0" in log.read_text("utf-8")


def test_a_releases_folder_with_other_files_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "releases"
    root.mkdir()
    (root / "rencana.txt").write_text("Rencana rilis berikutnya.\n", encoding="utf-8")
    err = assert_refused(
        release_args(corpus, root, tmp_path / "CHANGELOG.md"), root, tmp_path, capsys
    )
    assert "rencana.txt" in err and "release records" in err
    assert not (tmp_path / "CHANGELOG.md").exists()


def test_a_release_folder_nobody_released_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from warta import __version__

    root = tmp_path / "releases"
    folder = root / __version__
    folder.mkdir(parents=True)
    (folder / "data.csv").write_text("id,judul\n1,Banjir\n", encoding="utf-8")
    err = assert_refused(
        release_args(corpus, root, tmp_path / "CHANGELOG.md"), folder, tmp_path, capsys
    )
    assert "no earlier `release` made it" in err


def test_a_release_into_the_checkout_or_corpus_is_refused(checkout: Path) -> None:
    before = tree_hash(checkout)
    for root in (checkout, checkout / "corpus", checkout / "corpus" / "releases"):
        with pytest.raises(OutputRefused, match=re.escape(str(root))):
            release([checkout / "corpus"], root, version="1.0.0", jobs=1)
    assert tree_hash(checkout) == before


def test_a_changelog_release_did_not_generate_is_not_overwritten(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "CHANGELOG.md"
    log.write_text("# Catatan perubahan\n\nDitulis tangan.\n", encoding="utf-8")
    root = tmp_path / "releases"
    err = assert_refused(release_args(corpus, root, log), log, tmp_path, capsys)
    assert "did not generate it" in err and "--changelog" in err
    assert not root.exists()

    # A generated changelog is regenerated.
    log.write_text(CHANGELOG_HEADER + "\n## 0.0.1 (2020-01-01)\n\nLama.\n", encoding="utf-8")
    assert main(release_args(corpus, root, log)) == 0
    text = log.read_text("utf-8")
    assert text.startswith(CHANGELOG_HEADER) and "Lama." not in text


# --- draft ------------------------------------------------------------------------------------


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "artikel" / "bandung-hujan-1.txt"
    path.parent.mkdir()
    path.write_text(
        "Hujan Deras Guyur Bandung\n"
        "BANDUNG, KOMPAS.com - Hujan deras mengguyur Kota Bandung sejak Selasa sore.\n"
        '"Kami sudah siagakan petugas di titik rawan," kata Dedi Santoso kepada wartawan.\n',
        encoding="utf-8",
    )
    return path


def test_draft_never_overwrites_manual_work_even_with_force(
    article: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = article.with_suffix(".json")
    target.write_text(json.dumps({"id": article.stem, "manual": ["entities"]}), encoding="utf-8")
    argv = ["draft", str(article), "--force"]
    err = assert_refused(argv, target, article.parent, capsys)
    assert "lists manual layers (entities)" in err and "--out" in err
    with pytest.raises(OutputRefused, match="manual layers"):
        write_draft(article, target, None, replace=True)  # type: ignore[arg-type]


def test_draft_refuses_a_file_that_is_not_an_annotation_file(
    article: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = article.parent.parent / "catatan"
    elsewhere.mkdir()
    target = elsewhere / f"{article.stem}.json"
    target.write_text("Catatan wawancara, bukan anotasi.\n", encoding="utf-8")
    argv = ["draft", str(article), "--out", str(target), "--force"]
    err = assert_refused(argv, target, elsewhere, capsys)
    assert "is not a draft" in err


def test_draft_is_named_for_its_article(
    article: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = article.parent / "catatan.txt"
    target.write_text("Catatan wawancara.\n", encoding="utf-8")
    argv = ["draft", str(article), "--out", str(target), "--force"]
    err = assert_refused(argv, target, article.parent, capsys)
    assert f"is not named for the article {article.name}" in err


def test_draft_with_force_replaces_a_draft(article: Path, corpus: Path) -> None:
    target = article.with_suffix(".json")
    target.write_text(json.dumps({"id": article.stem, "manual": []}), encoding="utf-8")
    assert main(["draft", str(article)]) == 1  # asks for --force
    assert main(["draft", str(article), "--force"]) == 0
    doc = json.loads(target.read_text("utf-8"))
    assert doc["manual"] == [] and doc["id"] == article.stem and "entities" in doc
    assert sorted(p.name for p in article.parent.iterdir()) == [target.name, article.name]

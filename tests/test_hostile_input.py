"""Contributions that try to publish what is not theirs, or are broken in unusual ways.

Each is reported at its file with an id, a non-zero exit and no traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from warta.cli import main
from warta.pipeline import BuildError, build

from .conftest import ROOT
from .test_validator_report import ARTICLE_ID, TEXT, run_validate, valid_doc, write


def codes(lines: list[str]) -> list[str]:
    return [line.rsplit(" ", 1)[-1].strip("[]") for line in lines]


def test_a_link_out_of_the_corpus_is_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=do-not-publish-this\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    write(corpus, valid_doc())
    (corpus / "leak.txt").symlink_to(secret)
    status, lines, _ = run_validate(capsys, corpus)
    assert status == 1 and codes(lines) == ["file-link"]
    assert "leak.txt" in lines[0] and "never followed" in lines[0]
    with pytest.raises(BuildError):
        build([corpus], tmp_path / "dist", jobs=1)
    assert not (tmp_path / "dist").exists()


def test_a_link_given_by_name_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=do-not-publish-this\n", encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    link = tmp_path / "corpus" / "leak.txt"
    link.symlink_to(secret)
    status, lines, _ = run_validate(capsys, link)
    assert status == 1 and "symbolic link" in "\n".join(lines)
    assert "do-not-publish" not in "\n".join(lines)


def test_what_the_corpus_walk_passes_over_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, valid_doc())
    (corpus / ".hidden.txt").write_text("Teks tersembunyi.\n", encoding="utf-8")
    (corpus / "notes.md").write_text("catatan\n", encoding="utf-8")
    (corpus / "other.JSON").write_text("{}", encoding="utf-8")
    (corpus / "folder.json").mkdir()
    status, lines, _ = run_validate(capsys, corpus)
    found = dict(zip([Path(line.split(": ")[0]).name for line in lines], codes(lines), strict=True))
    assert found == {
        ".hidden.txt": "file-skipped",
        "notes.md": "file-skipped",
        "other.JSON": "file-name",
        "folder.json": "file-name",
    }
    assert status == 1  # the misnamed ones are errors; the others only warnings


def test_only_warnings_still_pass(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, valid_doc())
    (corpus / "README.md").write_text("about this folder\n", encoding="utf-8")
    status, lines, err = run_validate(capsys, corpus)
    assert status == 0 and codes(lines) == ["file-skipped"] and "1 warning" in err
    assert " warning: " in lines[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_does_not_hang_the_validator(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, valid_doc())
    os.mkfifo(corpus / "pipe.txt")
    for target in (corpus, corpus / "pipe.txt"):
        run = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "validate", str(target), "--jobs", "1"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert run.returncode == 1 and "pipe.txt" in run.stdout
        assert "Traceback" not in run.stderr


def test_a_file_that_is_no_article_is_named(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    other = tmp_path / "passwd"
    other.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    status, lines, _ = run_validate(capsys, other)
    assert status == 1 and lines[0].startswith(f"{other}: ") and "not an article file" in lines[0]
    assert "None" not in lines[0]


def test_utf16_text_is_called_utf16(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "berita-1.txt").write_bytes(TEXT.encode("utf-16"))
    (tmp_path / "berita-2.txt").write_bytes(TEXT.encode("utf-16-le"))
    status, lines, _ = run_validate(capsys, tmp_path)
    assert status == 1 and len(lines) == 2
    assert all("UTF-16" in line and "re-save the file as UTF-8" in line for line in lines)


def test_a_span_in_another_normalisation_gets_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    text = "Kafe di Jakarta ramai, kata pemilik kafé itu.\n"
    (tmp_path / f"{ARTICLE_ID}.txt").write_text(text, encoding="utf-8")
    start = text.index("kafé")
    doc = valid_doc() | {"manual": ["entities"], "boilerplate": [], "quotes": []}
    doc["text_sha256"] = hashlib.sha256(text.encode()).hexdigest()
    decomposed = unicodedata.normalize("NFD", "kafé")
    doc["entities"] = [{"start": start, "end": start + 4, "label": "LOC", "text": decomposed}]
    (tmp_path / f"{ARTICLE_ID}.json").write_text(json.dumps(doc), encoding="utf-8")
    status, lines, _ = run_validate(capsys, tmp_path)
    assert status == 1 and "NFC against NFD" in lines[0]


def _published(value: str) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["metadata"].update(published=value)


@pytest.mark.parametrize(
    ("change", "where", "code"),
    [
        (lambda d: d.update(id=d["id"] + "\n"), "/id", "schema-value"),
        (_published("2024-03-05T10:00+07:00\n"), "/metadata/published", "schema-value"),
        (_published("2023-02-30T25:61+07:00"), "/metadata/published", "schema-value"),
        (
            lambda d: d["quotes"][0].update(speaker_name="Sari \ud800"),
            "/quotes/0/speaker_name",
            "json-lone-surrogate",
        ),
        (
            lambda d: d["metadata"].update(title="\udfff"),
            "/metadata/title",
            "json-lone-surrogate",
        ),
    ],
)
def test_values_a_schema_pattern_alone_would_let_through(
    change: Callable[[dict[str, Any]], None],
    where: str,
    code: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
) -> None:
    doc = valid_doc()
    change(doc)
    corpus = tmp_path / "corpus"
    write(corpus, json.dumps(doc, indent=2))  # ASCII: a lone surrogate written as \udXXX
    status, lines, err = run_validate(capsys, corpus)
    assert status == 1 and "Traceback" not in err
    assert any(f": {where}: " in line and line.endswith(f"[{code}]") for line in lines), lines
    out = tmp_path / "dist"
    assert main(["--corpus", str(corpus), "--out", str(out), "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "this is a bug" not in err and "Traceback" not in err and not out.exists()


def test_one_folder_named_twice_is_read_once(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, valid_doc())
    status = main(["validate", str(corpus), os.path.relpath(corpus), "--jobs", "1"])
    out = capsys.readouterr()
    assert status == 0 and out.out == "" and "1 article(s)" in out.err


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_one_or_more(jobs: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write(tmp_path, valid_doc())
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(tmp_path), "--jobs", jobs])
    assert exited.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_agreement_reports_a_file_that_breaks_the_scheme(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    write(tmp_path / "a", valid_doc())
    broken = valid_doc()
    broken["entities"][0]["start"] = "0"
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / f"{ARTICLE_ID}.json").write_text(json.dumps(broken), encoding="utf-8")
    assert main(["agreement", str(tmp_path / "a"), str(tmp_path / "b")]) == 1
    err = capsys.readouterr().err
    assert f"{ARTICLE_ID}.json: /entities/0/start: " in err and "[schema-type]" in err
    assert "this is a bug" not in err


def test_a_release_record_cut_short_is_named(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, valid_doc())
    releases = tmp_path / "releases"
    releases.mkdir()
    (releases / "0.0.1.json").write_text('{"version": "0.0.1", "files": {', encoding="utf-8")
    args = ["--corpus", str(corpus), "--out", str(releases), "--jobs", "1"]
    assert main(["release", *args, "--changelog", str(tmp_path / "CHANGES.md")]) == 1
    err = capsys.readouterr().err
    assert "0.0.1.json: not complete JSON" in err and "git checkout" in err
    assert sorted(p.name for p in releases.iterdir()) == ["0.0.1.json"]


def test_a_full_disk_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from warta.export import card

    corpus = tmp_path / "corpus"
    write(corpus, valid_doc())

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "dist" / "x"))

    monkeypatch.setattr(card, "write_card", full)
    status = main(["--corpus", str(corpus), "--out", str(tmp_path / "dist"), "--jobs", "1"])
    err = capsys.readouterr().err
    assert status == 1 and "the disk is full" in err and "Traceback" not in err
    assert "this is a bug" not in err and not (tmp_path / "dist").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]  # no staging folder left


def test_fix_keeps_a_lone_surrogate_for_a_person_and_fixes_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    doc = valid_doc()
    doc["quotes"][0]["speaker_name"] = "Sari \ud800"
    doc["entities"][0]["start"] += 1
    doc["entities"][0]["end"] += 1
    path = write(tmp_path, json.dumps(doc, indent=2))
    status, lines, err = run_validate(capsys, tmp_path, "--fix")
    assert status == 1 and codes(lines) == ["json-lone-surrogate"]
    assert "moved it from" in err and "this is a bug" not in err
    assert "\\ud800" in path.read_text(encoding="utf-8")  # written back as its escape

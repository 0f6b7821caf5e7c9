"""The Python API: ``warta.validate``, ``warta.build`` and ``warta.draft``.

Each returns a frozen result and raises the project's errors rather than
exiting; the command line calls the same functions. The corpora are the
invented articles of ``fixtures.py``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import datasets
import jsonschema
import pytest

import warta
from warta import api, schema
from warta.cli import main
from warta.corpus import dump_annotation
from warta.errors import BuildError, FileError, OutputRefused, WartaError
from warta.problems import Problem
from warta.text import sha256_bytes
from warta.views import CONFIGS

from .conftest import ROOT
from .fixtures import ARTICLE_ID, ARTICLE_TEXT, PARTIAL_ID, RAW_ID, RAW_TEXT, write_corpus

IDS = {ARTICLE_ID, PARTIAL_ID, RAW_ID}


def drift_one_entity(corpus: Path) -> Path:
    """Move the first entity of the fully annotated article one character off its text."""
    path = corpus / f"{ARTICLE_ID}.json"
    doc = json.loads(path.read_text("utf-8"))
    doc["entities"][0]["start"] += 1
    doc["entities"][0]["end"] += 1
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def test_import_is_cheap_and_the_names_are_the_api_functions() -> None:
    code = (
        "import sys, warta; "
        "assert 'warta.api' not in sys.modules and 'datasets' not in sys.modules; "
        "import warta.api; "
        "assert warta.validate is warta.api.validate and warta.build is warta.api.build; "
        "assert warta.draft is warta.api.draft and callable(warta.draft)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert set(warta.__all__) >= {"validate", "build", "draft", "Validation", "Build", "Draft"}
    with pytest.raises(AttributeError):
        _ = warta.no_such_name  # type: ignore[attr-defined]


def test_validate_a_good_corpus(tmp_path: Path) -> None:
    result = warta.validate(write_corpus(tmp_path / "corpus"), jobs=1)
    assert isinstance(result, api.Validation)
    assert result.ok and result.errors == () and result.articles == len(IDS)
    assert result.fixed == () and result.changes == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.articles = 0  # type: ignore[misc]


def test_validate_a_bad_corpus_reports_its_problems_and_fix_repairs_them(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    path = drift_one_entity(corpus)
    before = path.read_bytes()
    result = warta.validate([corpus], jobs=1)
    assert not result.ok
    assert all(isinstance(p, Problem) for p in result.problems)
    assert {p.code for p in result.errors} == {"span-text-mismatch"}
    assert all(Path(p.path) == path and p.where.startswith("/entities/0") for p in result.errors)
    assert path.read_bytes() == before  # nothing written without fix

    fixed = warta.validate([corpus], fix=True, jobs=1)
    assert fixed.fixed == (str(path),) and fixed.changes
    assert all(change.startswith(f"{path}: ") for change in fixed.changes)
    assert warta.validate([corpus], jobs=1).ok


def test_build_writes_what_datasets_loads_with_the_counts_it_returns(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = warta.build(write_corpus(tmp_path / "corpus"), out, jobs=1)
    assert isinstance(result, api.Build)
    assert result.out == out and result.articles == len(IDS)
    assert set(result.rows) == set(CONFIGS)
    assert sum(result.rows["articles"].values()) == len(IDS)
    for name, config in CONFIGS.items():
        loaded = datasets.load_dataset(str(out), name)
        assert {split: len(rows) for split, rows in loaded.items()} == result.rows[name]
        for rows in loaded.values():
            assert rows.features == schema.features(config.schema)
    ids = {
        row["id"] for rows in datasets.load_dataset(str(out), "articles").values() for row in rows
    }
    assert ids == IDS


def test_build_raises_with_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    drift_one_entity(corpus)
    (corpus / "kosong-1.txt").write_bytes(b"  \n")
    out = tmp_path / "dist"
    with pytest.raises(BuildError) as raised:
        warta.build(corpus, out, jobs=1)
    assert isinstance(raised.value, WartaError)
    codes = {p.code for p in raised.value.problems}
    assert {"span-text-mismatch", "text-empty"} <= codes
    assert not out.exists()


def test_build_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "catatan.txt").write_text("Catatan pribadi.\n", encoding="utf-8")
    with pytest.raises(OutputRefused):
        warta.build(write_corpus(tmp_path / "corpus"), out, jobs=1)
    assert [p.name for p in out.iterdir()] == ["catatan.txt"]


def annotation_errors(doc: dict[str, Any]) -> list[str]:
    """What the annotation schema says of ``doc``, by the project's checks and jsonschema's."""
    ours = [str(e) for e in schema.check("annotation")(doc)]
    reference = jsonschema.Draft202012Validator(
        schema.document("annotation"), registry=schema.registry()
    )
    return ours + [e.message for e in reference.iter_errors(doc)]


def test_draft_returns_a_valid_annotation_and_writes_only_when_asked(tmp_path: Path) -> None:
    article = tmp_path / f"{RAW_ID}.txt"
    article.write_text(RAW_TEXT, encoding="utf-8")
    result = warta.draft(article)
    assert isinstance(result, api.Draft) and result.path is None
    doc = result.annotation
    assert annotation_errors(doc) == []
    assert doc["id"] == RAW_ID and doc["manual"] == []
    assert doc["text_sha256"] == sha256_bytes(article.read_bytes())
    for layer in schema.LAYERS:
        for item in doc[layer]:
            part = item["content"] if layer in schema.QUOTE_LAYERS else item
            assert RAW_TEXT[part["start"] : part["end"]] == part["text"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [article.name]  # nothing written

    out = article.with_suffix(".json")
    written = warta.draft(article, out)
    assert written.path == out
    assert out.read_text("utf-8") == dump_annotation(written.annotation)
    assert written.annotation == doc
    with pytest.raises(FileError, match="already exists"):
        warta.draft(article, out)
    assert warta.draft(article, out, force=True).path == out


def test_draft_raises_for_bad_articles_and_never_overwrites_a_persons_work(
    tmp_path: Path,
) -> None:
    with pytest.raises(FileError, match="no such article"):
        warta.draft(tmp_path / "tidak-ada.txt")
    bad = tmp_path / "rusak-1.txt"
    bad.write_bytes(b"Berita caf\xe9.")
    with pytest.raises(FileError, match="not valid UTF-8") as raised:
        warta.draft(bad)
    assert raised.value.path == bad and "byte 10" in raised.value.where

    article = tmp_path / f"{ARTICLE_ID}.txt"
    article.write_text(ARTICLE_TEXT, encoding="utf-8")
    manual = article.with_suffix(".json")
    manual.write_text(json.dumps({"id": ARTICLE_ID, "manual": ["entities"]}), encoding="utf-8")
    before = manual.read_bytes()
    with pytest.raises(OutputRefused, match="manual layers"):
        warta.draft(article, manual, force=True)
    assert manual.read_bytes() == before
    with pytest.raises(OutputRefused, match="is not named for the article"):
        warta.draft(article, tmp_path / "lain.json")


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["validate", "{corpus}", "--jobs", "1"], "validate"),
        (["build", "--corpus", "{corpus}", "--out", "{out}", "--jobs", "1"], "build"),
        (["draft", "{corpus}/" + RAW_ID + ".txt", "--out", "{out}.json"], "draft"),
    ],
)
def test_the_command_line_takes_the_same_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], name: str
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    out = tmp_path / RAW_ID
    calls = []
    real = getattr(api, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, name, recorded)
    assert main([a.format(corpus=corpus, out=out) for a in argv]) == 0
    assert calls == [name]


def test_the_command_line_words_the_api_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "rusak-1.txt"
    bad.write_bytes(b"Berita caf\xe9.")
    assert main(["draft", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}: byte 10 (line 1): not valid UTF-8")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_the_readme_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    section = (ROOT / "README.md").read_text("utf-8").split("## Python API", 1)[1]
    (code,) = re.findall(r"```python\n(.+?)```", section.split("\n## ", 1)[0], re.DOTALL)
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "berita-1.txt").write_text(
        "BOGOR, KABARKITA - Warga Bogor menanam seribu pohon di tepi sungai, Sabtu.\n"
        '"Kami ingin sungai ini bersih lagi," kata Ketua RT Slamet Riyadi.\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "dist" / "README.md").is_file()
    assert json.loads((corpus / "berita-1.json").read_text("utf-8"))["manual"] == []
    assert "{" in capsys.readouterr().out  # the rows of ner, per split

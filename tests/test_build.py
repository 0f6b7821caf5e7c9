"""The build: a dataset folder that the real `datasets` and Parquet readers load."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import datasets
import pytest
import yaml

from warta import schema
from warta.cli import main
from warta.corpus import discover
from warta.pipeline import BuildError, build

from .conftest import CORPUS
from .fixtures import ARTICLE_ID


def front_matter(readme: Path) -> dict[str, Any]:
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def corpus_size() -> int:
    """The number of articles in the project's corpus, in whatever folders they are."""
    return len(list(CORPUS.rglob("*.txt")))


def hub_size_category(n: int) -> str:
    """The Hub's ``size_categories`` bucket for ``n`` examples, from its published list."""
    buckets = [(10**3, "n<1K"), (10**4, "1K<n<10K"), (10**5, "10K<n<100K"), (10**6, "100K<n<1M")]
    return next((name for upper, name in buckets if n < upper), "1M<n<10M")


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_every_span_of_every_record_is_its_text(built_rows: dict[str, tuple]) -> None:
    """Records hold spans of their own text (their shape: the jsonschema test in test_views)."""
    records = built_rows["articles"][1]
    for record in records:
        text = record["text"]
        spans = [s for layer in schema.SPAN_LAYERS for s in record[layer]]
        for quote in record[schema.QUOTES]:
            spans += [quote[part] for part in schema.QUOTE_PARTS if quote[part]]
        for span in spans:
            assert text[span["start"] : span["end"]] == span["text"], record["id"]
    assert records


def test_manual_layers_are_released_as_given(built_rows: dict[str, tuple]) -> None:
    annotation_files = {f.id: f.json for f in discover([CORPUS]) if f.json is not None}
    checked = 0
    for record in built_rows["articles"][1]:
        if record["id"] not in annotation_files:
            continue  # no annotation file: no manual layer to compare
        annotation = json.loads(annotation_files[record["id"]].read_text("utf-8"))
        checked += 1
        for layer in annotation["manual"]:
            assert record["status"][layer] == "manual"
            released = [{k: v for k, v in s.items() if k != "id"} for s in record[layer]]
            given = annotation[layer]
            if layer == schema.QUOTES:
                released = [r["content"] for r in released]
                given = [g["content"] for g in given]
            assert sorted(map(json.dumps, released)) == sorted(map(json.dumps, given))
    assert checked == len(annotation_files)


def test_card_has_the_hub_metadata(built: Path) -> None:
    meta = front_matter(built / "README.md")
    assert meta["language"] == ["id"]
    assert meta["license"]
    assert {"token-classification", "text-classification"} <= set(meta["task_categories"])
    assert meta["size_categories"] == [hub_size_category(corpus_size())]
    assert meta["annotations_creators"]
    assert meta["source_datasets"] == ["original"]
    assert meta["pretty_name"]
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert configs["articles"]["default"] is True
    infos = meta["dataset_info"]
    infos = infos if isinstance(infos, list) else [infos]
    articles = next(i for i in infos if i["config_name"] == "articles")
    names = [f["name"] for f in articles["features"]]
    assert names == list(schema.document("article")["properties"])
    total = sum(s["num_examples"] for s in articles["splits"])
    assert total == corpus_size()
    body = (built / "README.md").read_text("utf-8")
    assert not re.search(r"\{\{[a-z_]+\}\}", body)  # every placeholder filled
    assert "Unicode code points" in body


def test_a_failed_build_leaves_the_previous_output(written_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build([written_corpus], out, jobs=1, auto=False)
    before = tree_digest(out)
    doc_path = written_corpus / f"{ARTICLE_ID}.json"
    doc = json.loads(doc_path.read_text("utf-8"))
    doc["entities"][0]["label"] = "PERSON"
    doc_path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build([written_corpus], out, jobs=1, auto=False)
    assert any("/entities/0/label" in str(p) for p in info.value.problems)
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["corpus", "dist"]


def test_build_command_reports_problems_without_traceback(
    written_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    (written_corpus / "broken.json").write_text("{", encoding="utf-8")
    status = main(["--corpus", str(written_corpus), "--out", str(tmp_path / "dist")])
    err = capsys.readouterr().err
    assert status == 1
    assert "broken.json: file: annotation file without an article" in err
    assert "nothing was written" in err
    assert "Traceback" not in err
    assert not (tmp_path / "dist").exists()


def test_version_and_every_command_says_what_it_does_with_an_example(
    capsys: pytest.CaptureFixture,
) -> None:
    from warta import __version__
    from warta.cli import _parser

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"warta {__version__}"
    commands = _parser()._subparsers._group_actions[0].choices
    assert {"build", "validate", "release", "draft"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit):
            main([name, "--help"])
        text = capsys.readouterr().out
        description, example = text.split("options:")[0], text.split("example:")[-1]
        assert len(description.splitlines()) > 2, name
        assert f"python build.py {'' if name == 'build' else name}".strip() in example, name


def test_a_mistyped_command_is_an_invalid_choice_not_a_build(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as info:
        main(["validat"])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert "invalid choice: 'validat'" in err and "'validate'" in err
    assert list(tmp_path.iterdir()) == []


def test_unannotated_layers_are_released_empty_with_status_none(
    written_corpus: Path, tmp_path: Path
) -> None:
    (written_corpus / "extra-1.txt").write_text(
        "JAKARTA, KOMPAS.com - Sebuah berita pendek tanpa anotasi.\n", encoding="utf-8"
    )
    out = tmp_path / "dist"
    build([written_corpus], out, jobs=1, auto=False)
    ds = datasets.load_dataset(str(out), "articles")
    rows = [r for split in ds.values() for r in split if r["id"] == "extra-1"]
    assert len(rows) == 1
    status = ds[next(iter(ds))].features["status"]
    assert {k: status[k].int2str(v) for k, v in rows[0]["status"].items()} == dict.fromkeys(
        schema.LAYERS, schema.STATUS.none
    )
    assert rows[0]["entities"] == [] and rows[0]["quotes"] == []

"""Versioned releases: readable by every reader, checksummed, reproducible, immutable."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import datasets
import duckdb
import pandas as pd
import polars as pl
import pytest

from warta import schema
from warta.cli import main
from warta.outputs import MARKER
from warta.release import SUMS, ReleaseRefused, release
from warta.views import CONFIGS

from .conftest import CORPUS
from .fixtures import ARTICLE_ID


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One release of the project's corpus, made once for the read-only tests."""
    root = tmp_path_factory.mktemp("releases")
    corpus = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(CORPUS, corpus)
    result = release([corpus], root, changelog=root / "CHANGELOG.md", version="1.0.0", jobs=1)
    assert not result.reproduced
    return result.folder


def parquet_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.parquet"))


def test_layout(released: Path) -> None:
    assert (released / "README.md").is_file()
    assert (released / "croissant.json").is_file()
    assert (released / SUMS).is_file()
    for path in parquet_files(released):
        config, name = path.relative_to(released).parts
        assert config in CONFIGS
        split, _, rest = name.partition("-")
        assert split in schema.SPLIT
        index, _, total = rest.removesuffix(".parquet").partition("-of-")
        assert len(index) == len(total) == 5 and int(index) < int(total)


def test_every_config_and_split_loads_from_parquet_alone(released: Path) -> None:
    for name, config in CONFIGS.items():
        files: dict[str, list[str]] = {}
        for path in parquet_files(released / name):
            files.setdefault(path.name.split("-")[0], []).append(str(path))
        ds = datasets.load_dataset("parquet", data_files=files)
        for split in ds.values():
            assert split.features == schema.features(config.schema)


def test_pandas_polars_and_duckdb_read_every_file(released: Path) -> None:
    for path in parquet_files(released):
        frame = pd.read_parquet(path)
        assert len(frame) > 0
        assert pl.read_parquet(path).height == len(frame)
        with duckdb.connect() as db:
            (count,) = db.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()
        assert count == len(frame)


def test_the_record_names_the_models_its_automatic_layers_come_from(released: Path) -> None:
    from warta.furniture.train import SHIPPED as FURNITURE
    from warta.ner.bundle import checksum
    from warta.ner.train import SHIPPED as ENTITIES

    record = json.loads((released.parent / f"{released.name}.json").read_text("utf-8"))
    for key, shipped, libraries in (
        ("entity_model", ENTITIES, {"python-crfsuite", "Sastrawi", "spacy"}),
        ("furniture_model", FURNITURE, {"python-crfsuite"}),
    ):
        model = record[key]
        assert model["bundle_sha256"] == checksum(shipped)
        assert set(model["libraries"]) == libraries
        assert model["training"]["articles"] > 0


def test_checksums_verify(released: Path) -> None:
    listed = {}
    for line in (released / SUMS).read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {
        p.relative_to(released).as_posix()
        for p in released.rglob("*")
        if p.is_file() and p.name not in (SUMS, MARKER)
    }
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((released / name).read_bytes()).hexdigest() == digest
    record = json.loads((released.parent / "1.0.0.json").read_text("utf-8"))
    assert record["files"] == listed


def test_croissant_validates_with_mlcroissant(released: Path) -> None:
    # mlcroissant's own command line: `mlcroissant validate --jsonld croissant.json`.
    cli = (
        "import sys; from mlcroissant.scripts.cli import main; "
        "sys.argv = ['mlcroissant', 'validate', '--jsonld', 'croissant.json']; main()"
    )
    run = subprocess.run(
        [sys.executable, "-c", cli], cwd=released, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Done" in run.stdout + run.stderr or "validat" in (run.stdout + run.stderr).lower()
    meta = json.loads((released / "croissant.json").read_text("utf-8"))
    assert set(CONFIGS) <= {rs["name"] for rs in meta["recordSet"]}


def test_croissant_gives_each_config_its_rows_per_split_and_its_label_names(
    released: Path,
) -> None:
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=released / "croissant.json")
    meta = json.loads((released / "croissant.json").read_text("utf-8"))
    sets = {rs["@id"]: rs for rs in meta["recordSet"]}
    for config in CONFIGS:
        expected = datasets.load_dataset(str(released), config)
        counts: dict[str, int] = {}
        for record in dataset.records(config):
            split = record[f"{config}/split"].decode()
            counts[split] = counts.get(split, 0) + 1
        assert counts == {split: len(rows) for split, rows in expected.items()}
        features = next(iter(expected.values())).features
        labels = {name: f for name, f in features.items() if isinstance(f, datasets.ClassLabel)}
        for name, feature in labels.items():
            field = next(f for f in sets[config]["field"] if f["name"] == name)
            enumeration = field["references"]["field"]["@id"].split("/")[0]
            names = [r[f"{enumeration}/name"] for r in dataset.records(enumeration)]
            assert names == feature.names
    entity_label = next(
        sub
        for f in sets["articles"]["field"]
        if f["name"] == "entities"
        for sub in f["subField"]
        if sub["name"] == "label"
    )
    assert entity_label["references"]["field"]["@id"] == "entity-label/index"
    names = [r["entity-label/name"] for r in dataset.records("entity-label")]
    assert names == schema.labels("entity_label")
    assert meta["license"][0] in (released / "README.md").read_text("utf-8")


def test_the_card_lists_changes(released: Path) -> None:
    body = (released / "README.md").read_text("utf-8")
    assert "First release" in body
    assert "## 1.0.0" in (released.parent / "CHANGELOG.md").read_text("utf-8")


def _digests(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_same_version_twice_is_byte_identical_and_a_change_is_refused(
    written_corpus: Path, tmp_path: Path
) -> None:
    root = tmp_path / "releases"
    first = release([written_corpus], root, version="1.0.0", jobs=1)
    before = _digests(first.folder)
    again = release([written_corpus], root, version="1.0.0", jobs=1)
    assert again.reproduced
    assert _digests(again.folder) == before

    (written_corpus / "extra-1.txt").write_text(
        "JAKARTA, KOMPAS.com - Sebuah berita baru tentang banjir di Jakarta.\n", encoding="utf-8"
    )
    with pytest.raises(ReleaseRefused, match="already released with different content"):
        release([written_corpus], root, version="1.0.0", jobs=1)
    assert _digests(first.folder) == before
    assert sorted(p.name for p in root.iterdir()) == ["1.0.0", "1.0.0.json"]

    # A new version records what changed.
    minor = release([written_corpus], root, changelog=tmp_path / "CHANGELOG.md", version="1.1.0")
    body = (minor.folder / "README.md").read_text("utf-8")
    assert "articles added: 1 (`extra-1`)" in body
    assert "## 1.1.0" in (tmp_path / "CHANGELOG.md").read_text("utf-8")


def test_release_command_refuses_with_a_clear_message(
    written_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    root = tmp_path / "releases"
    args = ["release", "--corpus", str(written_corpus), "--out", str(root), "--jobs", "1"]
    assert main([*args, "--changelog", str(tmp_path / "CHANGELOG.md")]) == 0
    doc = written_corpus / f"{ARTICLE_ID}.json"
    data = json.loads(doc.read_text("utf-8"))
    data["metadata"]["title"] = "Judul yang dikoreksi"
    doc.write_text(json.dumps(data), encoding="utf-8")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "refused" in err and "bump the version" in err
    assert "Traceback" not in err


def test_the_card_describes_every_field_of_every_config_and_how_to_cite(released: Path) -> None:
    body = (released / "README.md").read_text("utf-8")
    for name, config in CONFIGS.items():
        table = body.split(f"**`{name}`**", 1)[1].split("\n\n", 2)[1]
        described = {
            row.split("|")[1].strip(" `"): row.split("|")[3].strip()
            for row in table.splitlines()[2:]
        }
        keys = list(schema.document(config.schema)["properties"])
        assert list(described) == keys, name
        assert all(described.values()), name
    assert "@misc{warta_1_0_0" in body and "version      = {1.0.0}" in body
    meta = json.loads((released / "croissant.json").read_text("utf-8"))
    assert meta["url"] in body
    assert not re.search(r"\{\{[a-z_]+\}\}", body)


def test_the_card_parses_with_huggingface_hub_and_declares_every_config(released: Path) -> None:
    # DatasetCard.validate() asks the Hub over the network; offline, the Hub's own
    # parser and the `datasets` readers of its metadata are what a push relies on.
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(released / "README.md")
    assert card.data.license == "other" and card.data.license_link == "LICENSE.md"
    assert card.data.language == ["id"]
    configs = MetadataConfigs.from_dataset_card_data(card.data)
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    assert set(configs) == set(infos) == set(CONFIGS)
    for name, config in CONFIGS.items():
        assert infos[name].features == schema.features(config.schema)
        for entry in configs[name]["data_files"]:
            assert list(released.glob(entry["path"])), entry


def _released(corpus: Path, root: Path, other_shape: str | None = None) -> Path:
    """The record of release 1.0.0 of ``corpus`` (made if not there yet); with
    ``other_shape``, rewritten as if that config's records had had another shape."""
    record_path = root / "1.0.0.json"
    if not record_path.exists():
        release([corpus], root, version="1.0.0", jobs=1)
    if other_shape is not None:
        record = json.loads(record_path.read_text("utf-8"))
        record["shapes"][other_shape] = "0" * 64
        record_path.write_text(json.dumps(record), encoding="utf-8")
    return record_path


def test_a_new_version_must_be_the_bump_the_version_rules_ask_for(
    written_corpus: Path, tmp_path: Path
) -> None:
    root = tmp_path / "releases"
    record = json.loads(_released(written_corpus, root).read_text("utf-8"))
    assert set(record["shapes"]) == set(CONFIGS)

    (written_corpus / "extra-1.txt").write_text(
        "BANDUNG - Warga memadati alun-alun untuk menonton pawai budaya.\n", encoding="utf-8"
    )
    with pytest.raises(ReleaseRefused, match=r"article\(s\) were added.*MINOR.*set 1\.1\.0"):
        release([written_corpus], root, version="1.0.1", jobs=1)
    assert sorted(p.name for p in root.iterdir()) == ["1.0.0", "1.0.0.json"]

    _released(written_corpus, root, other_shape="articles")
    with pytest.raises(ReleaseRefused, match=r"record shape or labels of articles.*set 2\.0\.0"):
        release([written_corpus], root, version="1.1.0", jobs=1)
    assert not release([written_corpus], root, version="2.0.0", jobs=1).reproduced


def test_the_changes_open_with_the_notes_and_name_the_configs_whose_shape_changed(
    written_corpus: Path, tmp_path: Path
) -> None:
    root = tmp_path / "releases"
    _released(written_corpus, root, other_shape="ner")
    changelog = tmp_path / "CHANGELOG.md"
    notes = "Tokens gain a field."
    release([written_corpus], root, changelog, version="2.0.0", jobs=1, notes=notes)
    changes = json.loads((root / "2.0.0.json").read_text("utf-8"))["changes"]
    assert changes.startswith(notes + "\n")
    assert "- configs whose record shape or labels changed: ner\n" in changes
    assert notes in (root / "2.0.0" / "README.md").read_text("utf-8")
    assert notes in changelog.read_text("utf-8")
    # Rebuilt without them, the recorded version still reproduces: its notes are recorded.
    assert release([written_corpus], root, version="2.0.0", jobs=1).reproduced

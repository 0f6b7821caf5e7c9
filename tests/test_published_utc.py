"""The publication time in UTC: a real timestamp column beside the page's own string.

Every config with ``published`` also releases ``published_utc``, derived at
build time. These tests build invented articles whose times carry different
offsets and read the Parquet back with ``datasets``, pyarrow and pandas.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import datasets
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from warta import metadata, schema
from warta.export import croissant
from warta.pipeline import BuildResult, build
from warta.validation import validate
from warta.views import CONFIGS

from .fixtures import ARTICLE_ID, PARTIAL_ID, RAW_ID, write_corpus

# Invented times: evening WIB crosses midnight in UTC; WIT, without seconds, too.
PUBLISHED = {
    ARTICLE_ID: "2024-03-14T23:30:00+07:00",
    PARTIAL_ID: "2024-03-10T08:15+09:00",
    RAW_ID: None,  # no annotation file and no time in the text
}
EXPECTED = {
    ARTICLE_ID: datetime(2024, 3, 14, 16, 30, tzinfo=UTC),
    PARTIAL_ID: datetime(2024, 3, 9, 23, 15, tzinfo=UTC),
    RAW_ID: None,
}
TIMESTAMP = pa.timestamp("ms", tz="UTC")


def configs_with_published() -> list[str]:
    return [
        name
        for name, config in CONFIGS.items()
        if "published" in schema.document(config.schema)["properties"]
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The invented corpus, its times set with two offsets and one left unknown, built."""
    corpus = write_corpus(tmp_path_factory.mktemp("corpus") / "corpus")
    for aid, published in PUBLISHED.items():
        path = corpus / f"{aid}.json"
        if published is None:
            assert not path.exists()
            continue
        doc = json.loads(path.read_text("utf-8"))
        doc["metadata"]["published"] = published
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return build([corpus], tmp_path_factory.mktemp("build") / "dist", jobs=1)


@pytest.fixture(scope="module")
def dist(built: BuildResult) -> Path:
    return built.out


def shards(dist: Path, config: str) -> dict[str, list[str]]:
    files: dict[str, list[str]] = {}
    for path in sorted((dist / config).glob("*.parquet")):
        files.setdefault(path.name.split("-")[0], []).append(str(path))
    assert files
    return files


def test_every_config_with_published_has_published_utc_right_after_it() -> None:
    names = configs_with_published()
    assert "articles" in names and "clean" in names
    for name in names:
        keys = list(schema.document(CONFIGS[name].schema)["properties"])
        assert keys[keys.index("published") + 1] == "published_utc"
        feature = schema.features(CONFIGS[name].schema)["published_utc"]
        assert feature == datasets.Value("timestamp[ms, tz=UTC]")


@pytest.mark.parametrize("config", configs_with_published())
def test_the_parquet_column_is_a_utc_timestamp_for_every_reader(dist: Path, config: str) -> None:
    for files in shards(dist, config).values():
        for path in files:
            assert pq.read_schema(path).field("published_utc").type == TIMESTAMP
            frame = pd.read_parquet(path)
            assert isinstance(frame["published_utc"].dtype, pd.DatetimeTZDtype)
            assert str(frame["published_utc"].dtype.tz) == "UTC"
    loaded = datasets.load_dataset("parquet", data_files=shards(dist, config))
    for split in loaded.values():
        assert split.features["published_utc"] == datasets.Value("timestamp[ms, tz=UTC]")
        assert split.data.schema.field("published_utc").type == TIMESTAMP


@pytest.mark.parametrize("config", configs_with_published())
def test_the_value_is_the_instant_of_published_and_null_stays_null(dist: Path, config: str) -> None:
    seen = {}
    for split in datasets.load_dataset(str(dist), config).values():
        table = split.data.table.select(["id", "published", "published_utc"])
        for row in table.to_pylist():
            seen[row["id"]] = row["published_utc"]
            assert row["published"] == PUBLISHED[row["id"]]
            if row["published"] is None:
                assert row["published_utc"] is None
            else:  # the same instant as the string with its offset
                assert row["published_utc"] == datetime.fromisoformat(row["published"])
    assert seen == EXPECTED
    for path in [p for files in shards(dist, config).values() for p in files]:
        for aid, when in pd.read_parquet(path)[["id", "published_utc"]].itertuples(index=False):
            if EXPECTED[aid] is None:
                assert pd.isna(when)
            else:
                assert when == pd.Timestamp(EXPECTED[aid])


def test_the_json_form_is_the_utc_string_ending_in_z() -> None:
    assert metadata.utc("2024-03-14T23:30:00+07:00") == "2024-03-14T16:30:00Z"
    assert metadata.utc("2024-03-10T08:15+09:00") == "2024-03-09T23:15:00Z"
    assert metadata.utc("2024-03-10T08:15:07Z") == "2024-03-10T08:15:07Z"
    assert metadata.utc("2024-03-10T08:15:00-03:30") == "2024-03-10T11:45:00Z"
    assert metadata.utc(None) is None
    pattern = schema.compiled_pattern(schema.definition("published_utc")["pattern"])
    assert pattern.search(metadata.utc("2024-03-14T23:30:00+07:00") or "")
    assert not pattern.search("2024-03-14T23:30:00+07:00")


@pytest.mark.parametrize("published", ["0001-01-01T06:00:00+07:00", "9999-12-31T20:00:00-05:00"])
def test_a_time_whose_utc_instant_no_calendar_holds_is_reported(
    tmp_path: Path, published: str
) -> None:
    with pytest.raises(ValueError, match="years 1 to 9999"):
        metadata.utc(published)
    corpus = write_corpus(tmp_path / "corpus")
    path = corpus / f"{ARTICLE_ID}.json"
    doc = json.loads(path.read_text("utf-8"))
    doc["metadata"]["published"] = published
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    problems = validate([corpus]).errors
    assert [(p.where, p.code) for p in problems] == [("/metadata/published", "schema-value")]
    assert "years 1 to 9999" in problems[0].what


def test_croissant_and_the_card_describe_it_as_a_point_in_time(built: BuildResult) -> None:
    meta = croissant.metadata(built.out, built.configs, "0.0.0")
    sets = {rs["name"]: rs for rs in meta["recordSet"]}
    card = (built.out / "README.md").read_text("utf-8")
    for name in configs_with_published():
        field = next(f for f in sets[name]["field"] if f["name"] == "published_utc")
        assert field["dataType"] in ("sc:DateTime", ["sc:DateTime"])
        published = next(f for f in sets[name]["field"] if f["name"] == "published")
        assert published["dataType"] in ("sc:Text", ["sc:Text"])
    assert "| `published_utc` | timestamp[ms, tz=UTC] |" in card

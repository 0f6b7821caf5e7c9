"""Scale: output independent of the number of workers, bounded look-ahead, bounded files."""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import datasets
import psutil
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.build_bench import make_article, write_articles
from warta import outputs, pipeline, schema
from warta.corpus import Skipped, discover, read_file
from warta.export.parquet import SplitWriter, TableEncoder, table_row_sizes
from warta.parallel import WorkerDied, ordered_map
from warta.schema import LAYERS
from warta.text import sha256_bytes

from .conftest import CORPUS
from .test_build import tree_digest


def test_output_is_identical_whatever_the_number_of_jobs(
    mixed_built: tuple[Path, Path, dict], tmp_path: Path
) -> None:
    corpus, one, stats = mixed_built
    two = pipeline.build([corpus], tmp_path / "two", jobs=2)
    assert stats == two.stats.to_dict()
    assert sum(two.stats.articles.values()) == len(list(corpus.rglob("*.txt")))
    digest = tree_digest(one)
    assert digest == tree_digest(tmp_path / "two")
    assert any(name.endswith(".parquet") for name in digest)


def test_the_build_never_trains_the_tagger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Manual and automatic entity layers alike: the build loads the shipped model."""
    from warta.ner.model import NerModel

    write_articles(tmp_path / "c", range(20, 24), LAYERS)
    write_articles(tmp_path / "c", range(24, 26), None)

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the build trained a tagger")

    monkeypatch.setattr(NerModel, "train", refuse)
    monkeypatch.setattr(pipeline.Annotators, "learn", refuse)
    result = pipeline.build([tmp_path / "c"], tmp_path / "dist", jobs=1)
    assert result.stats.status[("entities", "manual")] == 4
    assert result.stats.status[("entities", "auto")] == 2


class Recorded:
    """Items that remember how many of them the parent has drawn to send to workers."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.drawn = 0

    def __iter__(self) -> Iterator[int]:
        for item in range(self.n):
            self.drawn = item + 1
            yield item


def _square(x: int) -> int:
    return x * x


def test_ordered_map_keeps_order_and_a_bounded_window() -> None:
    items = Recorded(2_000)
    results: Iterator[int] = ordered_map(_square, items, jobs=2, chunk=10, window=4)
    for consumed, value in enumerate(results):
        assert value == consumed * consumed
        # Items are drawn as they are sent, never more than the window of chunks ahead.
        assert items.drawn <= consumed + 10 * 5
    assert consumed == 1_999


def _pid(_item: int) -> int:
    return os.getpid()


def test_ordered_map_lets_its_workers_go_with_the_last_results() -> None:
    """Their memory is back before the consumer works on the last results."""
    results = ordered_map(_pid, list(range(8)), jobs=2, chunk=1)
    pids = {next(results) for _ in range(8)}  # the map itself is not finished yet
    assert 1 <= len(pids) <= 2 and os.getpid() not in pids  # a worker may take them all
    assert not any(psutil.pid_exists(pid) for pid in pids)
    assert list(results) == []


def test_row_groups_and_shards_are_bounded(tmp_path: Path) -> None:
    features = schema.features("article")
    text, annotation = make_article(7, 1)
    record = {
        "id": "a",
        "outlet": None,
        "url": None,
        "title": None,
        "published": None,
        "published_utc": None,
        "authors": [],
        "editors": [],
        "language": "id",
        "story": "a",
        "text": text,
        "text_sha256": sha256_bytes(text.encode()),
        "status": {"boilerplate": "manual", "entities": "manual", "quotes": "none"},
        "boilerplate": [{"id": "b", **s} for s in annotation["boilerplate"]],
        "entities": [{"id": "e", **s} for s in annotation["entities"]],
        "quotes": [],
    }
    writer = SplitWriter(
        tmp_path, "train", features, shard_rows=250, shard_bytes=200_000, row_group_bytes=30_000
    )
    batch = TableEncoder(features)([record] * 7)
    for _ in range(600 // 7):
        writer.write_table(batch)
    writer.write_table(batch.slice(0, 600 % 7))
    files = writer.close()
    assert writer.rows == 600
    rows, groups = [], []
    for path in files:
        meta = pq.read_metadata(path)
        rows.append(meta.num_rows)
        groups += [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        assert meta.num_rows <= 250
    assert sum(rows) == 600 and len(files) >= 3
    assert min(groups) > 0
    # A group closes at the row that reaches the byte limit, wherever batches end.
    size = int(table_row_sizes(batch)[0])
    assert max(groups) == -(-30_000 // size)
    assert files[0].name == f"train-00000-of-{len(files):05d}.parquet"


def _ner_rows(n: int) -> list[dict[str, Any]]:
    """Rows of the ``ner`` config, varied in size, written here."""
    labels = ["O", "B-PER", "I-PER", "B-LOC", "O"]
    rows = []
    for i in range(n):
        tokens = [f"kata{j}" * (1 + (i + j) % 3) for j in range(1 + i % 7)]
        starts = [sum(len(t) + 1 for t in tokens[:j]) for j in range(len(tokens))]
        rows.append(
            {
                "id": f"a:s{i}",
                "article_id": "a",
                "start": 0,
                "end": len(" ".join(tokens)),
                "text": " ".join(tokens),
                "tokens": tokens,
                "ner_tags": [labels[(i + j) % 5] for j in range(len(tokens))],
                "offsets": {
                    "start": starts,
                    "end": [s + len(t) for s, t in zip(starts, tokens, strict=True)],
                },
                "status": "manual" if i % 2 else ("auto" if i % 3 else None),
            }
        )
    return rows


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=12))
def test_the_same_rows_give_the_same_bytes_however_they_are_batched(
    cuts: list[int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    features = schema.features("ner")
    rows = _ner_rows(700)
    encode = TableEncoder(features)
    digests = []
    for batching in ([len(rows)], cuts):
        folder = tmp_path_factory.mktemp("batched")
        writer = SplitWriter(folder, "train", features, row_group_bytes=9_000, shard_bytes=40_000)
        start, i = 0, 0
        while start < len(rows):
            size = batching[i % len(batching)]
            writer.write_table(encode(rows[start : start + size]))
            start += size
            i += 1
        files = writer.close()
        digests.append([(f.name, f.read_bytes()) for f in files])
        assert len(files) > 1
    assert digests[0] == digests[1]


@pytest.mark.parametrize("limit", ["rows", "bytes"])
def test_every_shard_starts_afresh(tmp_path: Path, limit: str) -> None:
    """A shard closed by its row or byte cap leaves the next one's first group full size."""
    features = schema.features("ner")
    rows = _ner_rows(40)
    sizes = table_row_sizes(TableEncoder(features)(rows))
    caps = (
        {"shard_rows": 6, "row_group_rows": 4}
        if limit == "rows"
        else {"shard_bytes": int(sizes[:9].sum()), "row_group_rows": 4}
    )
    writer = SplitWriter(tmp_path, "train", features, **caps)
    for row in rows:
        writer.write_table(TableEncoder(features)([row]))
    files = writer.close()
    layout = []
    for path in files:
        meta = pq.read_metadata(path)
        layout.append([meta.row_group(i).num_rows for i in range(meta.num_row_groups)])
    assert sum(map(sum, layout)) == 40 and len(layout) > 2
    assert all(groups[0] == min(4, sum(groups)) for groups in layout), layout
    assert all(n > 0 for groups in layout for n in groups), layout


def test_lists_are_read_through_their_offsets() -> None:
    """A null list slot may span values in valid Arrow data: each list reads its own range."""
    import pyarrow as pa

    values = pa.array(["O", "B-PER", "I-PER", "O"])
    offsets = pa.array([0, 1, 3, 4], pa.int32())
    tags = pa.ListArray.from_arrays(offsets, values, mask=pa.array([False, True, False]))
    feature = schema.features("ner")["ner_tags"]
    encoder = TableEncoder(datasets.Features({"ner_tags": feature}))
    table = pa.table({"ner_tags": tags})
    encoded = encoder._encoders[0](tags)
    assert encoded.to_pylist() == [[0], None, [0]]
    # 4 bytes of offset, then 4 of offset and the bytes of each string in range.
    assert table_row_sizes(table).tolist() == [4 + 5, 4 + 9 + 9, 4 + 5]
    assert table_row_sizes(table.slice(1)).tolist() == [4 + 9 + 9, 4 + 5]


def test_row_sizes_do_not_depend_on_the_table_a_row_is_in() -> None:
    features = schema.features("ner")
    rows = _ner_rows(50)
    encode = TableEncoder(features)
    whole = table_row_sizes(encode(rows))
    parts = [table_row_sizes(encode(rows[i : i + 7])) for i in range(0, 50, 7)]
    assert whole.tolist() == [x for p in parts for x in p.tolist()]
    sliced = encode(rows).slice(13, 20)
    assert table_row_sizes(sliced).tolist() == whole[13:33].tolist()
    assert all(size > 0 for size in whole)


def test_an_unknown_label_is_refused_by_name() -> None:
    features = schema.features("ner")
    rows = _ner_rows(3)
    rows[2]["ner_tags"][-1] = "B-PERSON"
    with pytest.raises(ValueError, match="B-PERSON"):
        TableEncoder(features)(rows)


def test_discovery_pairs_files_skips_hidden_ones_and_sorts_by_path(tmp_path: Path) -> None:
    for rel in (
        "b/z.txt", "b/z.json", "a/y.txt", "a/x.json", "a/x.txt", "a/w.schema.json",
        ".hidden/v.txt", "a/.u.txt", "a/notes.md", "c/.cache/t.txt",
    ):  # fmt: skip
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "link").symlink_to(tmp_path / "b", target_is_directory=True)
    (tmp_path / "d" / "s.txt").symlink_to(tmp_path / "a" / "y.txt")  # links are not read
    skipped: list[Skipped] = []
    found = discover([tmp_path], skipped)
    assert [(f.id, f.txt_file is not None, f.json_file is not None) for f in found] == [
        ("x", True, True),
        ("y", True, False),
        ("z", True, True),
    ]
    assert sorted((Path(s.path).relative_to(tmp_path).as_posix(), s.reason) for s in skipped) == [
        (".hidden", "file-skipped"),
        ("a/.u.txt", "file-skipped"),
        ("a/notes.md", "file-skipped"),
        ("c/.cache", "file-skipped"),
        ("d/link", "file-link"),
        ("d/s.txt", "file-link"),
    ]
    assert found[0].txt == tmp_path / "a" / "x.txt"
    # A file given by name brings its sibling along.
    (single,) = discover([tmp_path / "b" / "z.json"])
    assert single.txt == tmp_path / "b" / "z.txt"


def test_discovery_writes_paths_as_path_does_and_skips_unlistable_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for rel in ("a/x.txt", "y.txt", "locked/z.txt"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    listed = os.scandir

    def scandir(folder: str) -> Any:
        if os.path.basename(folder) == "locked":
            raise PermissionError(13, "Permission denied", folder)
        return listed(folder)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover(["."])
    # No "./" in front (messages name files as given), and the folder that
    # cannot be listed is left out, as os.walk leaves it out.
    assert [f.txt_file for f in found] == ["a/x.txt", "y.txt"]
    assert [str(f.txt) for f in found] == ["a/x.txt", "y.txt"]


def test_the_build_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    before = gc.get_threshold()
    gc.set_threshold(1234, 11, 12)
    try:
        pipeline.build([CORPUS], tmp_path / "dist", jobs=1)
        assert gc.get_threshold() == (1234, 11, 12)
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize("size", [0, 1, 4096, 1 << 20])
def test_read_file_gives_the_bytes_open_gives(tmp_path: Path, size: int) -> None:
    path = tmp_path / "a.txt"
    data = os.urandom(size)
    path.write_bytes(data)
    assert read_file(path) == data == read_file(str(path))


def test_read_file_raises_oserror_like_open(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_file(tmp_path / "missing.txt")
    with pytest.raises(IsADirectoryError):
        read_file(tmp_path)


def test_read_file_reads_on_after_a_short_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The system may give fewer bytes than asked before the end (Linux: 2 GiB at most)."""
    import warta.corpus

    path = tmp_path / "a.txt"
    data = os.urandom(5000)
    path.write_bytes(data)
    real_read = os.read
    monkeypatch.setattr(warta.corpus.os, "read", lambda fd, n: real_read(fd, min(n, 1000)))
    assert read_file(path) == data


def test_the_benchmark_pairs_each_build_with_a_baseline_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--repeat``: every build is followed by its baseline, and the ratio is the median."""
    import statistics

    from bench import build_bench

    monkeypatch.setattr(build_bench, "OUT", tmp_path / "corpora")
    monkeypatch.setenv("WARTA_BENCH_OUT", str(tmp_path / "out"))
    row = build_bench.run(24, "manual", 1, None, False, baselines=("files",), repeat=2)
    assert row["n"] == 24 and len(row["build_seconds_each"]) == 2
    assert len(row["baseline_seconds_each"]) == len(row["ratio_each"]) == 2
    pairs = zip(
        row["build_seconds_each"], row["baseline_seconds_each"], row["ratio_each"], strict=True
    )
    for build, base, ratio in pairs:
        # Every figure is rounded to 0.01: the unrounded seconds lie within
        # 0.005 of these, and the ratio within 0.005 of its own value.
        assert base > 0.005
        assert (build - 0.005) / (base + 0.005) - 0.006 <= ratio
        assert ratio <= (build + 0.005) / (base - 0.005) + 0.006
    assert row["ratio"] == pytest.approx(statistics.median(row["ratio_each"]), abs=0.011)
    assert row["seconds"] == pytest.approx(statistics.median(row["build_seconds_each"]), abs=0.011)


def test_the_records_baseline_converts_every_row_the_build_wrote(tmp_path: Path) -> None:
    """The ``records`` baseline converts each config's rows, in pieces when large, and no fewer."""
    import pyarrow.parquet as pq

    from bench import build_bench
    from warta.pipeline import build

    corpus = tmp_path / "corpus"
    write_articles(corpus, range(30), LAYERS)
    dist = tmp_path / "dist"
    build([corpus], dist, jobs=1)
    written = {
        folder.name: sum(pq.read_metadata(s).num_rows for s in folder.glob("*.parquet"))
        for folder in dist.iterdir()
        if folder.is_dir()
    }
    assert set(written) == {"articles", "clean", "ner", "quotes", "boilerplate"}

    whole = list(build_bench.built_pieces(dist))
    assert [name for name, _ in whole] == sorted(written)  # one piece per config
    pieces = list(build_bench.built_pieces(dist, piece_rows=1))
    assert len(pieces) == sum(len(shards) for _, shards in whole)  # a shard per piece

    out = tmp_path / "baseline"
    out.mkdir()
    rows, seconds, cpu, peak = build_bench.records_baseline(dist, out)
    assert rows == sum(written.values())
    assert seconds > 0 and cpu > 0 and peak.rss > 0
    converted = {}
    for path in out.glob("*.parquet"):
        name = path.name.rsplit("-", 1)[0]
        converted[name] = converted.get(name, 0) + pq.read_metadata(path).num_rows
    assert converted == written


def test_a_build_under_a_kernel_memory_limit_is_reported_whole_or_killed(tmp_path: Path) -> None:
    """``bench/memory_limit.py``: a limit the build fits in lets it finish; one it
    does not fit in gets it killed by the kernel, and the report says so. Every
    run's cgroup is removed after it, with no process left in it."""
    from bench import memory_limit

    corpus = tmp_path / "corpus"
    write_articles(corpus, range(20), LAYERS)
    try:
        roomy = memory_limit.limited_build(
            corpus, 4_000_000_000, 1, out=tmp_path / "roomy", timeout=120
        )
    except memory_limit.NoCgroup as exc:
        pytest.skip(f"no memory cgroup can be made here: {exc}")
    assert roomy["built"] and roomy["returncode"] == 0 and roomy["oom_kills"] == 0
    assert 50 < roomy["peak_anonymous_mib"] < 4000  # Python, pyarrow and spaCy at least
    assert (tmp_path / "roomy" / "dist" / "articles").is_dir()

    tight = memory_limit.limited_build(corpus, 60_000_000, 1, out=tmp_path / "tight", timeout=120)
    assert not tight["built"] and tight["returncode"] != 0
    assert tight["oom_kills"] >= 1 and "killed" in tight

    slow = memory_limit.limited_build(corpus, 4_000_000_000, 1, out=tmp_path / "slow", timeout=0.3)
    assert not slow["built"] and "still running" in slow["killed"]

    # Two workers and a limit near what the build needs: whichever process the
    # kernel kills, the report comes back (orphaned workers are ended too).
    near = memory_limit.limited_build(corpus, 300_000_000, 2, out=tmp_path / "near", timeout=60)
    assert near["built"] or near["killed"]
    if Path("/sys/fs/cgroup/memory/memory.limit_in_bytes").exists():  # cgroup v1
        own = Path("/sys/fs/cgroup/memory") / memory_limit._own_group("memory")
        assert not list(own.glob("warta-limit-*"))  # no run's group is left behind


def _killed_on_three(item: int) -> int:
    """Kills its own worker process on item 3, as the out-of-memory killer would."""
    if item == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def _killed_in_worker(*_args: Any) -> Any:
    os.kill(os.getpid(), signal.SIGKILL)


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: the old pool waited forever for a killed worker's task."""

    def expired(_signum: int, _frame: object) -> None:
        raise AssertionError(f"still waiting after {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_a_killed_worker_fails_the_map_instead_of_hanging() -> None:
    with _deadline(60), pytest.raises(WorkerDied, match="fewer --jobs"):
        list(ordered_map(_killed_on_three, list(range(40)), 2, chunk=2))


def test_a_build_whose_worker_is_killed_says_so_and_keeps_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from warta import cli

    corpus = tmp_path / "corpus"
    write_articles(corpus, range(20), LAYERS)
    out = tmp_path / "dist"
    out.mkdir()
    (out / "earlier.txt").write_text("an earlier build")
    outputs.mark(out, "build")  # as an earlier build would have, so it may be replaced
    monkeypatch.setattr(pipeline, "process_chunk", _killed_in_worker)
    with _deadline(120):
        code = cli.main(["build", "--corpus", str(corpus), "--out", str(out), "--jobs", "2"])
    assert code == 1
    err = capsys.readouterr().err
    assert "worker process was killed" in err and "nothing half-written was kept" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == [outputs.MARKER, "earlier.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "dist"]  # no staging left


def test_a_validation_whose_worker_is_killed_says_so_without_promising_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``validate --fix`` rewrites files as it goes, so it cannot say nothing was kept."""
    from warta import cli, validation

    corpus = tmp_path / "corpus"
    write_articles(corpus, range(20), LAYERS)
    monkeypatch.setattr(validation, "_check_one", _killed_in_worker)
    with _deadline(120):
        code = cli.main(["validate", str(corpus), "--jobs", "2"])
    assert code == 1
    err = capsys.readouterr().err
    assert "worker process was killed" in err and "Traceback" not in err
    assert "nothing half-written" not in err

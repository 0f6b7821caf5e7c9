"""The Dask build writes exactly the local build's folder."""

from __future__ import annotations

from pathlib import Path

import distributed

from bench.adversarial import realistic
from warta.pipeline import build

from .test_build import tree_digest
from .test_scale import mixed_corpus


def test_dask_build_equals_the_local_build_byte_for_byte(tmp_path: Path) -> None:
    from warta.executors import Dask

    corpus = mixed_corpus(tmp_path / "corpus")
    text, _ = realistic(120_000)  # long: built in two pieces (see warta.records)
    (corpus / "long.txt").write_bytes(text.encode("utf-8"))
    local = build([corpus], tmp_path / "local", jobs=1)
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        # Small partitions, so results arrive from both workers out of order.
        remote = build([corpus], tmp_path / "dask", executor=Dask(cluster, partition=2))
    assert remote.stats.to_dict() == local.stats.to_dict()
    expected = tree_digest(tmp_path / "local")
    assert tree_digest(tmp_path / "dask") == expected
    assert sum(name.endswith(".parquet") for name in expected) >= 5
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

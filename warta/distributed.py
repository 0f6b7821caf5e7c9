"""The build on a Dask cluster: the same per-article work, spread over machines.

The corpus-wide checks and the tagger's training run on this machine (the
driver) exactly as in :func:`warta.pipeline.build`; then ``process_chunk``
(which checks each article, annotates it and converts its rows to Arrow) runs
over partitions of the corpus on the cluster's workers, and the results come
back in corpus order, a bounded number of partitions at a time, into the same
streaming Parquet writers inside the same atomic ``staging`` folder. The
driver's memory stays flat and the output is byte for byte the local build's.

Workers must see the corpus at the same paths as the driver (a shared or
replicated file system), and import the same ``warta``.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from warta import __version__, duplicates
from warta.annotate import Annotators
from warta.corpus import ArticleFiles
from warta.errors import AddressError
from warta.outputs import claim_folder, staging
from warta.pipeline import (
    BuildResult,
    Chunk,
    plan_splits,
    prepare,
    process_chunk,
    write_card,
    write_dataset,
)

PARTITION = 64
# One lock per worker process: the annotators and views keep per-process caches
# and a CRF tagger that are not thread-safe, and the work holds the GIL anyway,
# so a worker with several threads runs its partitions one at a time.
_LOCK = threading.Lock()


def process_partition(
    files: Sequence[ArticleFiles], annotators: Annotators, overrides: dict[str, str] | None = None
) -> Chunk:
    """``process_chunk`` over one partition, on a worker (``overrides``: its splits not its own)."""
    with _LOCK:
        return process_chunk(files, annotators, overrides or {})


def ordered_results(
    client: Any,
    found: Sequence[ArticleFiles],
    annotators: Any,
    partition: int = PARTITION,
    window: int | None = None,
    plan: duplicates.Plan | None = None,
) -> Iterator[Chunk]:
    """Processed partitions in corpus order, with at most ``window`` partitions in flight.

    Each partition's results are released on the cluster once gathered, so
    neither the driver nor the workers hold more than the window. Each
    partition is sent the split overrides of its own articles only.
    """
    overrides = plan.overrides if plan is not None else {}
    window = window or max(2, 2 * sum(client.nthreads().values()))
    starts = iter(range(0, len(found), partition))
    pending: deque[Any] = deque()

    def submit() -> bool:
        start = next(starts, None)
        if start is None:
            return False
        part = list(found[start : start + partition])
        own = {f.id: overrides[f.id] for f in part if f.id in overrides}
        pending.append(client.submit(process_partition, part, annotators, own, pure=False))
        return True

    while len(pending) < window and submit():
        pass
    try:
        while pending:
            # Dropping the future releases its results on the cluster.
            result = pending.popleft().result()
            submit()
            yield result
    finally:
        for future in pending:
            future.cancel()


def check_address(address: str) -> None:
    """Refuse a scheduler address that is not one, before any work."""
    from distributed.comm import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise AddressError(
            f"--dask: {address!r} is not a scheduler address ({exc}); give one such as "
            "tcp://scheduler-host:8786, or --dask alone for a local cluster"
        ) from None


def build_distributed(
    corpus: Sequence[str | Path],
    out: str | Path,
    scheduler_address: Any = None,
    show_progress: bool = False,
    auto: bool = True,
    on_stage: Callable[[str], None] | None = None,
    partition: int = PARTITION,
    jobs: int | None = None,
    releases: str | Path | None = None,
) -> BuildResult:
    """Validate, learn, process on a Dask cluster, and write ``out`` as :func:`build` does.

    ``scheduler_address`` is a scheduler address (``tcp://host:8786``), a
    cluster object (``LocalCluster``...), a ``Client``, or None for a local
    cluster of one single-threaded worker process per core, closed afterwards.
    ``jobs`` is the number of local processes for validation (default: all).
    ``out`` is claimed as :func:`build` claims it, before any work: the two
    builds write the same folder, so each may replace the other's.
    """
    from distributed import Client, LocalCluster

    folder_out = claim_folder(out, "build", corpus)
    say = on_stage or (lambda _msg: None)
    jobs = jobs or os.cpu_count() or 1
    if isinstance(scheduler_address, str):
        check_address(scheduler_address)
    with ExitStack() as stack:
        # Connected first: a wrong address fails in seconds, not after the preparation.
        if isinstance(scheduler_address, Client):
            client = scheduler_address
        else:
            target = scheduler_address
            if target is None:
                say("starting a local Dask cluster")
                target = stack.enter_context(
                    LocalCluster(
                        n_workers=jobs,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                    )
                )
            try:
                client = stack.enter_context(Client(target))
            except OSError as exc:  # refused, or timed out
                raise AddressError(
                    f"--dask: cannot reach a scheduler at {target} ({exc}); start one "
                    "(`dask scheduler`) or check the address; nothing was written"
                ) from None
        found, annotators = prepare(corpus, jobs, auto, say)
        plan = plan_splits(found, jobs, releases, say)
        # One copy of the annotators (the tagger's model) per worker, not per task.
        shared = client.scatter(annotators, broadcast=True)
        with staging(folder_out, "build") as folder:
            say(f"writing ({sum(client.nthreads().values())} Dask worker threads)")
            chunks = ordered_results(client, found, shared, partition, plan=plan)
            stats, configs = write_dataset(
                found, folder, annotators, show_progress=show_progress, chunks=chunks, plan=plan
            )
            write_card(folder, stats, configs, __version__)
    return BuildResult(out=Path(out), stats=stats, configs=configs, warnings=plan.problems)

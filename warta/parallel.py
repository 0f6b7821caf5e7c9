"""Ordered, bounded parallel map over worker processes.

``multiprocessing.Pool.imap`` submits every task at once and buffers results
without limit when the consumer is slower than the workers (the Parquet writer
often is), so memory would grow with the corpus. Here at most ``window`` chunks
are in flight: results come back in input order, and memory stays flat.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _run_chunk(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def chunk_size(total: int, jobs: int, largest: int = 128) -> int:
    """Items per task: large enough to amortise the round trip, small enough to balance."""
    return max(1, min(largest, total // (jobs * 8) or 1))


def ordered_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    chunk: int | None = None,
    window: int | None = None,
) -> Iterator[R]:
    """``fn`` over ``items`` in ``jobs`` processes, yielded in order, with bounded look-ahead.

    ``fn`` must be picklable (a module-level function); state too large to send
    with every task goes to ``initializer``, which each worker runs once.
    """
    if jobs <= 1 or len(items) < 2:
        if initializer is not None:
            initializer(*initargs)
        for item in items:
            yield fn(item)
        return
    chunk = chunk or chunk_size(len(items), jobs)
    window = window or jobs * 2
    context = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    # Forked workers share the parent's pages until they write to them, and the
    # garbage collector writes to every object it scans: frozen objects are not
    # scanned, so the parent's heap (the corpus listing...) stays shared.
    gc.freeze()
    try:
        pool = context.Pool(jobs, initializer=initializer, initargs=initargs)
    finally:
        gc.unfreeze()
    with pool:
        pending: deque[Any] = deque()
        starts = iter(range(0, len(items), chunk))
        for start in starts:
            pending.append(pool.apply_async(_run_chunk, (fn, items[start : start + chunk])))
            if len(pending) >= window:
                break
        while pending:
            results = pending.popleft().get()
            start = next(starts, None)
            if start is not None:
                pending.append(pool.apply_async(_run_chunk, (fn, items[start : start + chunk])))
            yield from results

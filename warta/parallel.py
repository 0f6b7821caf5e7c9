"""Ordered, bounded parallel map over worker processes.

``multiprocessing.Pool.imap`` submits every task at once and buffers results
without limit when the consumer is slower than the workers (the Parquet writer
often is), so memory would grow with the corpus. Here at most ``window`` chunks
are in flight: results come back in input order, and memory stays flat.

The workers are a ``concurrent.futures.ProcessPoolExecutor``: when a worker
dies abruptly (the system's out-of-memory killer, a signal), it fails every
pending task, and the map raises :class:`WorkerDied`. ``multiprocessing.Pool``
would start a new worker and wait forever for the lost task's result. (One
case remains in which the executor itself waits: a worker killed halfway
through sending a large result.)
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from warta.errors import WorkerDied

T = TypeVar("T")
R = TypeVar("R")


def _run_chunk(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def _die_with(parent: int) -> None:
    """Have the system end this worker when the process that started it dies.

    Otherwise a parent killed outright (SIGKILL, the out-of-memory killer, a
    cancelled CI job) leaves its workers running for ever. Linux only (prctl);
    elsewhere the workers end when they next find their parent gone.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _start_worker(
    parent: int, initializer: Callable[..., object] | None, initargs: tuple[Any, ...]
) -> None:
    _die_with(parent)
    if initializer is not None:
        initializer(*initargs)


def chunk_size(total: int, jobs: int, largest: int = 128) -> int:
    """Items per task: large enough to amortise the round trip, small enough to balance."""
    return max(1, min(largest, total // (jobs * 8) or 1))


def ordered_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    chunk: int | None = None,
    window: int | None = None,
) -> Iterator[R]:
    """``fn`` over ``items`` in ``jobs`` processes, yielded in order, with bounded look-ahead.

    ``items`` are drawn as they are sent, never more than the window ahead of
    the consumer: they may be made on the way (the build reads a long article
    only when its pieces' turn comes). Without ``chunk``, ``items`` must be a
    sequence, to size the tasks from its length.
    ``fn`` must be picklable (a module-level function); state too large to send
    with every task goes to ``initializer``, which each worker runs once.
    Raises :class:`WorkerDied` if a worker process is killed.
    """
    if chunk is None:
        assert isinstance(items, Sequence), "give a chunk size for items that are not a sequence"
        chunk = chunk_size(len(items), jobs)
    batches = _batched(iter(items), chunk)
    # Enough look-ahead to see whether there is work for more than one process.
    first = list(itertools.islice(batches, jobs))
    if jobs <= 1 or sum(map(len, first)) < 2:
        if initializer is not None:
            initializer(*initargs)
        for batch in itertools.chain(first, batches):
            yield from map(fn, batch)
        return
    # No more workers than there are chunks of work: idle processes only cost memory.
    jobs = min(jobs, len(first))
    window = window or jobs * 2
    context = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    executor = ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
    )
    batches = itertools.chain(first, batches)

    def submit(batch: list[T]) -> Future[list[R]]:
        return executor.submit(_run_chunk, fn, batch)

    pending: deque[Future[list[R]]] = deque()
    try:
        # The first submit forks every worker. Forked workers share the
        # parent's pages until they write to them, and the garbage collector
        # writes to every object it scans: frozen objects are not scanned, so
        # the parent's heap (the corpus listing...) stays shared.
        gc.freeze()
        try:
            pending.append(submit(next(batches)))
        finally:
            gc.unfreeze()
        for batch in batches:
            pending.append(submit(batch))
            if len(pending) >= window:
                break
        while pending:
            results = pending.popleft().result()
            batch = next(batches, None)
            if batch is not None:
                pending.append(submit(batch))
            elif not pending:
                # The last results are in: the workers' memory goes back before the
                # consumer works on them (joining a long article's rows, say).
                executor.shutdown(wait=True)
            yield from results
    except BrokenProcessPool as exc:  # from a result, or from a submit after the death
        raise WorkerDied(
            "a worker process was killed (by the system, perhaps for lack of "
            "memory); run with fewer --jobs, or on a machine with more memory"
        ) from exc
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _batched(items: Iterator[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    while batch := list(itertools.islice(items, size)):
        yield batch

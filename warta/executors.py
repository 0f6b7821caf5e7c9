"""Where the per-article work of a build runs: local worker processes, or a Dask cluster.

The build (:func:`warta.pipeline.write_dataset`) is the same whatever runs it:
the corpus-wide checks, the tagger's training and the writing stay in this
process; an executor only turns tasks (consecutive runs of articles, or the
pieces of a long one: :class:`~warta.pipeline.Tasks`) into processed
:class:`~warta.pipeline.Chunk` objects, handed back in order with a bounded
number in flight. An executor is a context manager: entered before
any work (a Dask scheduler that cannot be reached fails in seconds), left
when the build is done.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, Protocol

from warta.errors import AddressError

if TYPE_CHECKING:
    from warta.annotate import Annotators
    from warta.pipeline import Chunk, Task


class Executor(Protocol):
    """Runs ``process_task`` over the build's tasks; see the module's docstring."""

    jobs: int
    """Local processes for the work that stays on this machine (validation, duplicates)."""
    preload: Callable[[], object] | None
    """What to load in this process before any worker forks from it, if anything."""

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...

    def describe(self) -> str: ...

    def run_size(self, articles: int) -> int:
        """Articles per task, for a corpus of ``articles``."""
        ...

    def chunks(
        self, tasks: Iterable[Task], annotators: Annotators, overrides: dict[str, str]
    ) -> Iterator[Chunk]: ...


def _prepare_views() -> None:
    from warta import pipeline
    from warta.views import prepare

    prepare(pipeline.CONFIGS.values())


class Local:
    """``jobs`` worker processes forked from this one (one: this process alone)."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        # The workers fork from this process: spaCy's language data, loaded
        # here before they start, is shared with them.
        self.preload: Callable[[], object] | None = _prepare_views

    def __enter__(self) -> Local:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def describe(self) -> str:
        return "writing"

    def run_size(self, articles: int) -> int:
        from warta.parallel import chunk_size

        return chunk_size(articles, self.jobs)

    def chunks(
        self, tasks: Iterable[Task], annotators: Annotators, overrides: dict[str, str]
    ) -> Iterator[Chunk]:
        """``process_task`` over the tasks in order, a bounded window ahead (in this
        process alone when there is one task, or one job)."""
        from warta.parallel import ordered_map
        from warta.pipeline import init_worker, process_task

        if self.jobs > 1:
            _prepare_views()  # loaded once here (if not yet), shared by the forked workers
        yield from ordered_map(
            process_task,
            tasks,
            self.jobs,
            initializer=init_worker,
            initargs=(annotators, overrides),
            chunk=1,
        )


PARTITION = 64
# One lock per worker process: the annotators and views keep per-process caches
# and a CRF tagger that are not thread-safe, and the work holds the GIL anyway,
# so a worker with several threads runs its partitions one at a time.
_LOCK = threading.Lock()


def process_partition(
    task: Task, annotators: Annotators, overrides: dict[str, str] | None = None
) -> Chunk:
    """``process_task`` of one partition or piece, on a Dask worker (``overrides``:
    the partition's splits)."""
    from warta.pipeline import process_task

    with _LOCK:
        return process_task(task, annotators, overrides or {})


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


class Dask:
    """A Dask cluster: the scheduler at an address, a cluster or client object, or a local one.

    ``None`` starts a local cluster of one single-threaded worker process per
    core (``jobs``), closed afterwards. Workers need the same ``warta`` and
    the corpus at the same paths. Each partition of ``partition`` articles is
    sent the split overrides of its own articles only.
    """

    def __init__(
        self,
        scheduler: Any = None,
        jobs: int | None = None,
        partition: int = PARTITION,
        say: Callable[[str], None] = lambda _msg: None,
    ) -> None:
        if isinstance(scheduler, str):
            check_address(scheduler)
        self.scheduler = scheduler
        self.jobs = jobs or os.cpu_count() or 1
        self.partition = partition
        self.preload: Callable[[], object] | None = None
        self._say = say
        self._stack = ExitStack()
        self.client: Any = None

    def __enter__(self) -> Dask:
        from distributed import Client, LocalCluster

        if isinstance(self.scheduler, Client):
            self.client = self.scheduler
            return self
        target = self.scheduler
        with ExitStack() as stack:
            if target is None:
                self._say("starting a local Dask cluster")
                target = stack.enter_context(
                    LocalCluster(
                        n_workers=self.jobs,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                    )
                )
            try:
                self.client = stack.enter_context(Client(target))
            except OSError as exc:  # refused, or timed out
                raise AddressError(
                    f"--dask: cannot reach a scheduler at {target} ({exc}); start one "
                    "(`dask scheduler`) or check the address; nothing was written"
                ) from None
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def describe(self) -> str:
        return f"writing ({sum(self.client.nthreads().values())} Dask worker threads)"

    def run_size(self, articles: int) -> int:
        return self.partition

    def chunks(
        self, tasks: Iterable[Task], annotators: Annotators, overrides: dict[str, str]
    ) -> Iterator[Chunk]:
        """Processed partitions and pieces in order, at most two per worker thread in flight.

        Each partition's results are released on the cluster once gathered, so
        neither this process nor the workers hold more than the window.
        """
        from warta.records import Piece

        client = self.client
        # One copy of the annotators (the tagger's model) per worker, not per task.
        shared = client.scatter(annotators, broadcast=True)
        window = max(2, 2 * sum(client.nthreads().values()))
        todo = iter(tasks)
        pending: deque[Any] = deque()

        def submit() -> bool:
            task = next(todo, None)
            if task is None:
                return False
            own = None  # a piece carries its split
            if not isinstance(task, Piece):
                task = list(task)
                own = {f.id: overrides[f.id] for f in task if f.id in overrides}
            pending.append(client.submit(process_partition, task, shared, own, pure=False))
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

"""Build a corpus under a hard memory limit that the kernel enforces.

``build_bench.py`` reports peak memory from sampling: PSS (pages shared with
forked workers split among them) and the RSS sum (shared pages counted once
per process). This script bounds the build's memory independently by running
``python build.py build`` in a Linux memory cgroup of its own, with the limit
set and no swap: if the build's own memory ever exceeds the limit, the kernel
kills one of its processes, and the build is reported killed. Page cache (the
Parquet files being written) is charged to the cgroup too, but the kernel
reclaims it under the limit instead of killing anything; that reclaim makes
the build slower than without a limit. The output goes under ``--out`` (a
folder on disk, not tmpfs, whose pages could not be reclaimed).

It needs root and the memory controller: cgroup v1, or v2 where memory can be
enabled for a child of this process's cgroup. Typical use, after
``build_bench.py`` has generated the corpus:

    python bench/memory_limit.py --corpus bench/out/corpus-100000-1-20230726 --limit-mb 1000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MIB = 2**20

# Runs in the child before the build: joins the cgroup, then becomes the build.
# A failed join raises there, so the build never runs unlimited.
_JOIN_THEN_EXEC = (
    "import os, sys\n"
    "with open(sys.argv[1], 'w') as procs:\n"
    "    procs.write(str(os.getpid()))\n"
    "os.execv(sys.argv[2], sys.argv[2:])"
)


class NoCgroup(Exception):
    """No memory cgroup can be made here (not root, no memory controller, swap unlimitable)."""


@dataclass
class Cgroup:
    """A memory cgroup made for one run: where it is, and how to read it."""

    path: Path
    v2: bool

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def _count(self, file: str, key: str) -> int:
        """The value of ``key`` in one of the group's ``key value`` files (0 if absent)."""
        for line in (self.path / file).read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
        return 0

    def anonymous(self) -> int:
        """Memory charged now that the kernel cannot reclaim (no swap): the processes' own.

        Each page counts once, however many forked processes share it.
        """
        return self._count("memory.stat", "anon" if self.v2 else "total_rss")

    def peak(self) -> int | None:
        """The most memory (processes and page cache) charged at once, if the kernel says."""
        name = "memory.peak" if self.v2 else "memory.max_usage_in_bytes"
        try:
            return int((self.path / name).read_text())
        except (OSError, ValueError):
            return None  # memory.peak is new in Linux 5.19

    def oom_kills(self) -> int:
        return self._count("memory.events" if self.v2 else "memory.oom_control", "oom_kill")

    def kill_all(self) -> None:
        """Kill every process left in the group (the workers of a build whose main
        process the kernel killed wait for work forever)."""
        for _ in range(100):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)


def _own_group(controller: str | None) -> str:
    """This process's cgroup path: of ``controller`` (v1), or the unified one (None)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if (controller is None and names == "") or controller in names.split(","):
            return path.lstrip("/")
    raise NoCgroup(f"this process is in no {controller or 'unified'} cgroup")


def _unified_mount() -> Path:
    """Where the cgroup v2 hierarchy is mounted (``/sys/fs/cgroup``, or ``.../unified``)."""
    for line in Path("/proc/mounts").read_text().splitlines():
        fields = line.split()
        if len(fields) > 2 and fields[2] == "cgroup2":
            return Path(fields[1])
    raise NoCgroup("no memory cgroup hierarchy (v1 or v2) is mounted")


def _swap_is_off() -> bool:
    return len(Path("/proc/swaps").read_text().splitlines()) <= 1


def _make_group(limit: int) -> Cgroup:
    v1 = Path("/sys/fs/cgroup/memory")
    name = f"warta-limit-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    if (v1 / "memory.limit_in_bytes").exists():
        group = Cgroup(v1 / _own_group("memory") / name, v2=False)
    else:
        group = Cgroup(_unified_mount() / _own_group(None) / name, v2=True)
    group.path.mkdir()
    try:
        if group.v2:
            if not (group.path / "memory.max").exists():
                raise NoCgroup("the memory controller is not enabled for new cgroups here")
            (group.path / "memory.max").write_text(str(limit))
            if (group.path / "memory.swap.max").exists():
                (group.path / "memory.swap.max").write_text("0")
            elif not _swap_is_off():
                raise NoCgroup("swap is on and this kernel cannot limit it per cgroup")
        else:
            (group.path / "memory.limit_in_bytes").write_text(str(limit))
            swap = group.path / "memory.memsw.limit_in_bytes"
            if swap.exists():
                swap.write_text(str(limit))  # memory plus swap: no swap at all
            elif not _swap_is_off():
                raise NoCgroup("swap is on and this kernel cannot limit it per cgroup")
    except BaseException:
        group.path.rmdir()
        raise
    return group


@contextmanager
def memory_cgroup(limit: int) -> Iterator[Cgroup]:
    """A new memory cgroup under this process's own, limited to ``limit`` bytes, swap 0.

    Whatever happens, every process in it is killed and it is removed at the end.
    """
    try:
        group = _make_group(limit)
    except OSError as exc:  # not root, read-only cgroup filesystem, bad limit...
        raise NoCgroup(f"cannot make a memory cgroup limited to {limit} bytes: {exc}") from exc
    try:
        yield group
    finally:
        group.kill_all()
        for _ in range(50):  # the group empties once its last process is reaped
            try:
                group.path.rmdir()
                break
            except OSError:
                time.sleep(0.1)
        else:
            print(f"memory_limit.py: could not remove {group.path}", file=sys.stderr)


def limited_build(
    corpus: Path, limit: int, jobs: int, out: Path | None = None, timeout: float | None = None
) -> dict[str, Any]:
    """``python build.py build`` of ``corpus`` in a cgroup limited to ``limit`` bytes.

    Returns the exit code, wall seconds, the peak of the processes' own memory
    (sampled every 50 ms, so a lower bound), the kernel's peak charge (that
    memory plus page cache, which fills up to the limit) and its count of
    processes killed for memory. A build one of whose processes the kernel
    killed, or that outlives ``timeout`` seconds, is killed whole.
    """
    if out is None:  # beside the benchmark corpora, on disk
        (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    target = out or Path(tempfile.mkdtemp(prefix="warta-limit-", dir=ROOT / "bench" / "out"))
    command = [sys.executable, str(ROOT / "build.py"), "build", "--corpus", str(corpus)]
    command += ["--out", str(target / "dist"), "--jobs", str(jobs)]
    try:
        with memory_cgroup(limit) as group:
            start = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-c", _JOIN_THEN_EXEC, str(group.path / "cgroup.procs"), *command],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            output: list[bytes] = []
            assert child.stdout is not None
            reader = threading.Thread(target=lambda: output.append(child.stdout.read()))
            reader.start()
            anonymous = 0
            why = None
            while child.poll() is None:  # sampled: the kernel keeps no peak of it
                anonymous = max(anonymous, group.anonymous())
                if group.oom_kills():
                    why = "a process was killed for memory"
                elif timeout is not None and time.perf_counter() - start > timeout:
                    why = f"still running after {timeout} s"
                if why:
                    group.kill_all()
                    child.wait()
                    break
                time.sleep(0.05)
            # Workers left behind by a killed main process hold the output
            # pipe open (and wait for work forever): end them before reading on.
            group.kill_all()
            reader.join()
            seconds = time.perf_counter() - start
            if why is None and group.oom_kills():  # the build's main process itself
                why = "a process was killed for memory"
            peak = group.peak()
            built = child.returncode == 0 and why is None
            report: dict[str, Any] = {
                "limit_mb": round(limit / 1e6),
                "limit_mib": round(limit / MIB),
                "returncode": child.returncode,
                "seconds": round(seconds, 1),
                "peak_anonymous_mib": round(anonymous / MIB),
                "peak_charged_mib": None if peak is None else round(peak / MIB),
                "oom_kills": group.oom_kills(),
                "built": built and (target / "dist" / "README.md").is_file(),
            }
            if why:
                report["killed"] = why
            if not report["built"]:
                report["output_tail"] = b"".join(output).decode("utf-8", "replace")[-2000:]
            return report
    finally:
        if out is None:
            shutil.rmtree(target, ignore_errors=True)


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # runs the clean-up: the build is killed, the group removed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, required=True, help="corpus folder to build")
    parser.add_argument(
        "--limit-mb", type=float, default=1000, help="memory limit in MB of 10^6 bytes"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--out", type=Path, default=None, help="keep the build here (default: a temporary folder)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600,
        help="give up after this many seconds (default 3600): a limit just below what the "
        "build needs can stall it, paging, rather than get it killed",
    )
    args = parser.parse_args()
    if args.limit_mb <= 0:
        parser.error("--limit-mb must be positive")
    signal.signal(signal.SIGTERM, _stop)
    try:
        report = limited_build(
            args.corpus, int(args.limit_mb * 1e6), args.jobs, args.out, args.timeout
        )
    except NoCgroup as exc:
        sys.exit(f"memory_limit.py: {exc}")
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["built"] else 1)


if __name__ == "__main__":
    main()

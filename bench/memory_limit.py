"""Build a corpus under a hard memory limit that the kernel enforces.

``build_bench.py`` reports peak memory from sampling: PSS (pages shared with
forked workers split among them) and the RSS sum (shared pages counted once
per process). This script settles the question the two figures leave open by
running ``python build.py build`` in a Linux memory cgroup of its own, with
the limit set and no swap allowed: if the build's memory ever exceeds the
limit, the kernel kills a process and the build fails. Page cache (the
Parquet files being written) is charged to the cgroup too, but the kernel
reclaims it under the limit instead of killing anything; that reclaim makes
the build slower than without a limit.

It needs root and the memory controller (cgroup v1, or v2 with ``memory``
enabled for new child groups). Typical use, after ``build_bench.py`` has
generated the corpus:

    python bench/memory_limit.py --corpus bench/out/corpus-100000-1-20230726 --limit-mb 1000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class NoCgroup(Exception):
    """No memory cgroup can be made here (not root, or no memory controller)."""


@dataclass
class Cgroup:
    """A memory cgroup made for one run: where it is, and how to read it."""

    path: Path
    v2: bool

    def add(self, pid: int) -> None:
        (self.path / "cgroup.procs").write_text(str(pid))

    def peak(self) -> int | None:
        """The most memory (processes and page cache) charged at once, if the kernel says."""
        name = "memory.peak" if self.v2 else "memory.max_usage_in_bytes"
        try:
            return int((self.path / name).read_text())
        except (OSError, ValueError):
            return None  # memory.peak is new in Linux 5.19

    def anonymous(self) -> int:
        """Memory charged now that the kernel cannot reclaim (no swap): the processes' own.

        Each page counts once, however many forked processes share it.
        """
        key = "anon" if self.v2 else "total_rss"
        for line in (self.path / "memory.stat").read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
        return 0

    def oom_kills(self) -> int:
        name = "memory.events" if self.v2 else "memory.oom_control"
        for line in (self.path / name).read_text().splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0


def _own_group(controller: str | None) -> str:
    """This process's cgroup path: of ``controller`` (v1), or the unified one (None)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if (controller is None and names == "") or controller in names.split(","):
            return path.lstrip("/")
    raise NoCgroup(f"this process is in no {controller or 'unified'} cgroup")


@contextmanager
def memory_cgroup(limit: int) -> Iterator[Cgroup]:
    """A new memory cgroup under this process's own, limited to ``limit`` bytes, swap 0."""
    v1 = Path("/sys/fs/cgroup/memory")
    name = f"warta-limit-{os.getpid()}"
    try:
        if (v1 / "memory.limit_in_bytes").exists():
            group = Cgroup(v1 / _own_group("memory") / name, v2=False)
            group.path.mkdir()
            (group.path / "memory.limit_in_bytes").write_text(str(limit))
            swap = group.path / "memory.memsw.limit_in_bytes"
            if swap.exists():
                swap.write_text(str(limit))
        else:
            unified = Path("/sys/fs/cgroup")
            group = Cgroup(unified / _own_group(None) / name, v2=True)
            group.path.mkdir()
            if not (group.path / "memory.max").exists():
                group.path.rmdir()
                raise NoCgroup("the memory controller is not enabled for new cgroups here")
            (group.path / "memory.max").write_text(str(limit))
            (group.path / "memory.swap.max").write_text("0")
    except PermissionError as exc:
        raise NoCgroup(f"cannot make a memory cgroup ({exc}); run as root") from exc
    except FileNotFoundError as exc:
        raise NoCgroup(f"no memory cgroup support here ({exc})") from exc
    try:
        yield group
    finally:
        for _ in range(50):  # the group empties once its last process is reaped
            try:
                group.path.rmdir()
                break
            except OSError:
                time.sleep(0.1)


def limited_build(corpus: Path, limit: int, jobs: int, out: Path | None = None) -> dict:
    """``python build.py build`` of ``corpus`` in a cgroup limited to ``limit`` bytes.

    Returns the exit code, wall seconds, the peak of the processes' own memory
    (sampled every 50 ms), the kernel's peak charge (that memory plus page
    cache, which fills up to the limit) and its count of processes killed for
    memory.
    """
    target = out or Path(tempfile.mkdtemp(prefix="warta-limit-"))
    command = [sys.executable, str(ROOT / "build.py"), "build", "--corpus", str(corpus)]
    command += ["--out", str(target / "dist"), "--jobs", str(jobs)]
    try:
        with memory_cgroup(limit) as group:
            start = time.perf_counter()
            child = subprocess.Popen(
                command,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                # Joins the cgroup before running Python: the whole build is inside.
                preexec_fn=lambda: group.add(os.getpid()),
            )
            anonymous = 0
            output: list[bytes] = []
            reader = threading.Thread(target=lambda: output.append(child.communicate()[0]))
            reader.start()
            while child.poll() is None:  # sampled: the kernel keeps no peak of it
                anonymous = max(anonymous, group.anonymous())
                time.sleep(0.05)
            reader.join()
            seconds = time.perf_counter() - start
            report = {
                "limit_mb": round(limit / 1e6),
                "returncode": child.returncode,
                "seconds": round(seconds, 1),
                "peak_anonymous_mb": round(anonymous / 1e6),
                "peak_charged_mb": None if group.peak() is None else round(group.peak() / 1e6),
                "oom_kills": group.oom_kills(),
                "built": child.returncode == 0 and (target / "dist" / "README.md").is_file(),
            }
            if child.returncode:
                report["output_tail"] = b"".join(output).decode("utf-8", "replace")[-2000:]
            return report
    finally:
        if out is None:
            shutil.rmtree(target, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, required=True, help="corpus folder to build")
    parser.add_argument(
        "--limit-mb", type=float, default=1000, help="memory limit in MB of 10^6 bytes"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    try:
        report = limited_build(args.corpus, int(args.limit_mb * 1e6), args.jobs)
    except NoCgroup as exc:
        sys.exit(f"memory_limit.py: {exc}")
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["built"] else 1)


if __name__ == "__main__":
    main()

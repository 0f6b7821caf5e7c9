"""Benchmark of every command on adversarial input: is each linear in its input?

Scraped pages hold what no article template does: a line of 5,000 ``*`` or
``-`` as a separator, ``!!!!!`` or ``?????`` in a comment section, a minified
script or a base64 image with no space in it, a whole page on one line, a
megabyte article. A regular expression with nested quantifiers over the same
characters, or a tokenizer that makes a Python object per character, turns
such input into minutes or gigabytes. This script generates each kind of
input at growing sizes (invented text only), times each command on it in
this process (CPU seconds, the least of two runs), and fits the exponent ``k``
of ``time ~ size**k`` (the slope of log time over log size, least squares over
the sizes given): about 1 is linear, 2 quadratic.

Commands, as the command line runs them but in this process (spaCy's
language data and the tagger are loaded once, before the clock starts):

- ``annotate``: the automatic layers of the article (``Annotators.fill``);
- ``draft``: ``python build.py draft`` (annotate, metadata, title, write);
- ``validate``: ``python build.py validate`` of the article with its draft,
  every layer accepted as manual (it must find no problem; kinds ``spans``:
  with manual layers; ``drifted``: ``--fix`` of spans whose offsets drifted,
  on a fresh copy each time);
- ``build``: ``python build.py build --jobs 1`` of a corpus holding the one
  article (automatic layers, but for ``spans`` and ``drifted``).

``--big MB`` also builds one realistic article of that many megabytes with
``python build.py build`` in a child process (``--jobs``: its workers, default
all cores), and prints its wall time, CPU time (its processes') and peak
memory: of its largest process, and summed over its process tree (PSS, which
shares the pages the forked workers inherit out among them, and RSS, which
counts them once per process), sampled every 0.2 s (PSS every second).

    python bench/adversarial.py                       # every kind, 62.5 KB to 1 MB
    python bench/adversarial.py --kinds 'run *' nospace --sizes 10000,100000
    python bench/adversarial.py --kinds none --big 50
    python bench/adversarial.py --profile 'run -' 1000000 build
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "bench"):
    if str(_path) not in sys.path:  # run from a checkout without installing
        sys.path.insert(0, str(_path))

from build_bench import make_article  # noqa: E402

from warta.corpus import dump_annotation  # noqa: E402
from warta.text import sha256_bytes  # noqa: E402

SEED = 20240514
SIZES = (62_500, 125_000, 250_000, 500_000, 1_000_000)
COMMANDS = ("annotate", "draft", "validate", "build")
PUNCTUATION = "*!?.-()\"'“”,:;/=_#~+<>[]|&%@`^$\\"


# --------------------------------------------------------------------------
# Inputs: text (and, for some kinds, a manual annotation) of about ``size`` characters.
# --------------------------------------------------------------------------
def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _letters(rng: random.Random, size: int, alphabet: str) -> str:
    return "".join(rng.choices(alphabet, k=size))


def realistic(size: int, seed: int = SEED) -> tuple[str, dict[str, Any]]:
    """Invented articles (``bench/build_bench.py``'s templates) joined into one of
    ``size`` characters or more, with their manual layers at the joined offsets."""
    parts: list[str] = []
    layers: dict[str, list[Any]] = {"boilerplate": [], "entities": [], "quotes": []}
    pos = 0
    i = 0
    while pos < size:
        text, annotation = make_article(seed, i)
        for layer in layers:
            for span in annotation[layer]:
                layers[layer].append(_shifted(span, pos))
        parts.append(text)
        pos += len(text)
        i += 1
    doc = {
        "metadata": annotation["metadata"],
        "manual": ["boilerplate", "entities", "quotes"],
        **layers,
    }
    return "".join(parts), doc


def _shifted(span: dict[str, Any], by: int) -> dict[str, Any]:
    out = dict(span)
    for key, value in span.items():
        if isinstance(value, dict):
            out[key] = _shifted(value, by)
        elif key in ("start", "end"):
            out[key] = value + by
    return out


def _drifted(doc: dict[str, Any], by: int) -> dict[str, Any]:
    """Every span moved by ``by`` characters, as an edit of the text above them would."""
    out = dict(doc)
    for layer in ("boilerplate", "entities", "quotes"):
        out[layer] = [_shifted(span, by) for span in doc[layer]]
    return out


def make_input(kind: str, size: int) -> tuple[str, dict[str, Any] | None]:
    """The text of one kind of input, and its annotation when the kind has one."""
    rng = random.Random(f"{SEED}:{kind}:{size}")
    if kind.startswith("run "):  # one punctuation character, over and over
        return _repeat(kind[4:], size) + "\n", None
    if kind.startswith("spaced "):  # runs of it between words
        return _repeat(f"kata {kind[7:] * 40} ", size) + "\n", None
    if kind == "nospace":  # a minified script, a base64 image
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"
        return _letters(rng, size, alphabet) + "\n", None
    if kind == "nospace-lower":
        return _repeat("kata", size) + "\n", None
    if kind == "nospace-punct":
        return _letters(rng, size, "abcXYZ.,!?-*\"'()") + "\n", None
    if kind == "words":  # a whole page on one line
        text, _ = realistic(size)
        return text.replace("\n", " "), None
    if kind == "capitals":  # one endless name
        names = ("Budi", "Santoso", "Dewi", "Wijaya", "Kota", "Bank", "PT", "Universitas")
        words = []
        total = 0
        while total < size:
            words.append(rng.choice(names))
            total += len(words[-1]) + 1
        return " ".join(words) + ".\n", None
    if kind == "quotes":  # quotation marks that never close
        return _repeat('"Kata Budi, ', size) + "\n", None
    if kind == "lines":  # one short line after another
        return _repeat("Baca juga:\n", size), None
    if kind == "article":
        return realistic(size)[0], None
    if kind == "spans":
        return realistic(size)
    if kind == "drifted":
        text, doc = realistic(size)
        return "Pembaruan.\n" + text, _drifted(doc, 0)
    raise SystemExit(f"unknown kind {kind!r}")


def kinds() -> list[str]:
    return [
        *(f"run {c}" for c in PUNCTUATION),
        *(f"spaced {c}" for c in '*!?.-("'),
        "nospace",
        "nospace-lower",
        "nospace-punct",
        "words",
        "capitals",
        "quotes",
        "lines",
        "article",
        "spans",
        "drifted",
    ]


# --------------------------------------------------------------------------
# Commands, in this process.
# --------------------------------------------------------------------------
class Runner:
    """Runs each command on one input written to a scratch folder."""

    def __init__(self, scratch: Path) -> None:
        from warta.annotate import Annotators
        from warta.views import prepare

        self.scratch = scratch
        self.annotators = Annotators()  # as ``draft`` makes them: the shipped tagger
        prepare()

    def setup(self, kind: str, text: str, doc: dict[str, Any] | None) -> Path:
        """Write the article (and for annotated kinds its annotation file); its folder."""
        folder = self.scratch / "corpus"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        raw = text.encode("utf-8")
        (folder / "adv.txt").write_bytes(raw)
        if doc is not None:
            full = {"id": "adv", "text_sha256": sha256_bytes(raw), **doc}
            (folder / "adv.json").write_text(dump_annotation(full), encoding="utf-8")
        return folder

    def command(self, name: str, kind: str, folder: Path) -> Callable[[], object]:
        """The command ``name`` on the article in ``folder``, ready to time."""
        from warta.drafting import write_draft
        from warta.pipeline import build
        from warta.text import decode
        from warta.validation import validate
        from warta.views import ner

        txt = folder / "adv.txt"
        annotated = (folder / "adv.json").exists()
        if name == "annotate":
            text = decode(txt.read_bytes())
            return lambda: self.annotators.fill(text, {}, ())
        if name == "draft":
            out = self.scratch / "draft" / "adv.json"
            out.parent.mkdir(exist_ok=True)
            return lambda: write_draft(txt, out, self.annotators, replace=True)
        if name == "validate":
            if not annotated:  # its draft, accepted as it is by a person
                path = folder / "adv.json"
                write_draft(txt, path, self.annotators, replace=True)
                doc = json.loads(path.read_bytes())
                doc["manual"] = ["boilerplate", "entities", "quotes"]
                path.write_text(dump_annotation(doc), encoding="utf-8")
            if kind == "drifted":
                saved = (folder / "adv.json").read_bytes()

                def fix() -> object:
                    (folder / "adv.json").write_bytes(saved)
                    return _passed(validate([folder], fix=True, jobs=1, releases=None))

                return fix
            return lambda: _passed(validate([folder], jobs=1, releases=None))
        if name == "build":
            if kind == "drifted":  # what validate --fix made of it
                validate([folder], fix=True, jobs=1, releases=None)
            elif kind != "spans":
                (folder / "adv.json").unlink(missing_ok=True)
            out = self.scratch / "dist"

            def fresh_build() -> object:
                # A build is a new process: the ner view's memo of chunks starts
                # empty, so a repeated run must not find the chunks learnt already.
                for memo in (ner._CODES, ner._SPLITS, ner._KINDS):
                    memo.clear()
                return build([folder], out, jobs=1, releases=None)

            return fresh_build
        raise SystemExit(f"unknown command {name!r}")


def _passed(report: Any) -> object:
    """The validator's report, which must find nothing wrong: the draft is valid as
    it is, and ``--fix`` repairs every drifted span."""
    if not report.ok:
        raise SystemExit("validate found problems:\n" + "\n".join(map(str, report.errors[:5])))
    return report


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (a build's workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(run: Callable[[], object], repeat: int = 2) -> float:
    """CPU seconds of ``run``: the least of ``repeat`` runs, as many at every size
    (a garbage collection or another job on the machine weighs on one run; taking
    the least of more runs at some sizes than at others would bias the slope)."""
    best = float("inf")
    for _ in range(repeat):
        start = _cpu()
        run()
        best = min(best, _cpu() - start)
    return best


def slope(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) over log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-4)) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def scale(runner: Runner, kinds_: list[str], sizes: list[int], commands: list[str]) -> None:
    """Time every command on every kind at every size; one line per kind and command."""
    width = max(len(k) for k in kinds_)
    head = " | ".join(f"{s / 1000:>7g}K" for s in sizes)
    print(f"| {'kind':<{width}} | command  | {head} | exponent |", flush=True)
    worst = 0.0
    for kind in kinds_:
        times: dict[str, list[float]] = {c: [] for c in commands}
        for size in sizes:
            text, doc = make_input(kind, size)
            for name in commands:
                folder = runner.setup(kind, text, doc)
                times[name].append(timed(runner.command(name, kind, folder)))
        for name in commands:
            k = slope(sizes, times[name])
            worst = max(worst, k)
            cells = " | ".join(f"{t:>7.3f}s" for t in times[name])
            print(f"| {kind!r:<{width}} | {name:<8} | {cells} | {k:>8.2f} |", flush=True)
    print(f"largest exponent: {worst:.2f}", flush=True)


def big(megabytes: float, scratch: Path, jobs: int | None = None) -> None:
    """Build one realistic article of ``megabytes`` MB in a child ``build.py``: its wall
    and CPU time, and the peak memory of its process tree (the build and its workers)."""
    import psutil

    folder = scratch / "big"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    text, _ = realistic(int(megabytes * 1_000_000))
    (folder / "big.txt").write_bytes(text.encode("utf-8"))
    del text
    out = scratch / "big-dist"
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, str(ROOT / "build.py"), "build", "--corpus", str(folder),
               "--out", str(out), "--no-progress"]  # fmt: skip
    command += ["--jobs", str(jobs)] if jobs else []
    log = (scratch / "big.log").open("w+b")  # a file: a full pipe would stall the build
    start = time.perf_counter()
    build = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    peak_rss = peak_pss = peak_one = 0
    samples = 0
    while build.poll() is None:
        try:
            tree = [psutil.Process(build.pid)]
            tree += tree[0].children(recursive=True)
        except psutil.Error:
            break
        full = samples % 5 == 0  # PSS reads smaps: once a second
        rss = pss = 0
        for proc in tree:
            try:
                info = proc.memory_full_info() if full else proc.memory_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += getattr(info, "pss", 0)
            peak_one = max(peak_one, info.rss)
        peak_rss = max(peak_rss, rss)
        peak_pss = max(peak_pss, pss if full else 0)
        samples += 1
        time.sleep(0.2)
    build.wait()
    wall = time.perf_counter() - start
    log.seek(0)
    output = log.read().decode("utf-8", "replace")
    log.close()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = children.ru_utime + children.ru_stime
    size = (folder / "big.txt").stat().st_size
    print(output.strip()[-2000:])
    print(
        f"big article: {size / 1e6:.1f} MB built in {wall:.1f} s ({cpu:.1f} s CPU), peak memory "
        f"(MiB): largest process {max(peak_one, children.ru_maxrss * 1024) / 2**20:.0f}, "
        f"process tree PSS {peak_pss / 2**20:.0f}, RSS summed {peak_rss / 2**20:.0f}; "
        f"exit {build.returncode}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="*", default=None, help="kinds of input (default: all)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="characters")
    parser.add_argument("--commands", nargs="*", default=list(COMMANDS), choices=COMMANDS)
    parser.add_argument("--big", type=float, default=0, help="also build a MB-sized article")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs of the --big build")
    parser.add_argument("--profile", nargs=3, metavar=("KIND", "SIZE", "COMMAND"), default=None)
    parser.add_argument("--list", action="store_true", help="list the kinds of input")
    args = parser.parse_args(argv)
    if args.list:
        print(json.dumps(kinds(), ensure_ascii=False))
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="warta-adv-") as tmp:
        scratch = Path(tmp)
        chosen = kinds() if args.kinds is None else [k for k in args.kinds if k != "none"]
        if args.profile or chosen:
            runner = Runner(scratch)
        if args.profile:
            kind, size, name = args.profile
            text, doc = make_input(kind, int(size))
            run = runner.command(name, kind, runner.setup(kind, text, doc))
            profile = cProfile.Profile()
            profile.runcall(run)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
            return
        if chosen:
            sizes = [int(s) for s in args.sizes.split(",")]
            scale(runner, chosen, sizes, args.commands)
        if args.big:
            big(args.big, scratch, args.jobs)


if __name__ == "__main__":
    main()

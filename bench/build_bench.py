"""Benchmark of the build against the conversion a user would write by hand.

Generates a synthetic corpus of Indonesian-news-shaped articles (page furniture,
direct and indirect quotes, person/organisation/place names) from templates with
a fixed seed, optionally with valid annotation files whose three layers are all
manual, then times ``warta.pipeline.build`` and two baselines in the same
process, each the conversion a user would write by hand, with no validation and
no annotators (``datasets.Dataset.from_list`` then ``to_parquet``):

- ``files`` (``ratio``): read every ``.txt``/``.json`` into one record per
  article and write that one table, the equivalent of the ``articles`` config;
- ``records`` (``records_ratio``): the build's own records of every config it
  wrote, one table each (read back as Python rows before the clock starts;
  a config too large to hold so, in pieces of its shards).

Generation, reading back, and one untimed read of every file beforehand (so
that neither the build nor a baseline pays for the disk alone) are outside
the timed regions.

Peak memory is the largest sum over the process tree (this process and every
worker) sampled with psutil: RSS every 50 ms (counts pages shared by forked
workers once per process, so it overstates) and PSS every 0.5 s (shares them
out; the honest figure on Linux). CPU time is getrusage of this process plus its
reaped children (the worker pools).

``--repeat K`` alternates the build and the ``files`` baseline K times and
reports the median of each and of the K ratios (each run one after the
other), with every run's figures: the machine's speed drifts over minutes,
and the baseline, which holds every record in memory, drifts most. Peak
memory is the first build's: the baseline leaves this process holding
gigabytes it does not give back, which later builds' workers would inherit.

Modes: ``manual`` annotates every article (``--share`` 1.0) with all three
layers manual, so the build validates and converts but runs no annotator and
trains no tagger; ``auto`` writes no annotation files, so every layer is
automatic. Both run ``build`` as ``python build.py`` does (automatic layers on).

    python bench/build_bench.py --mode manual --n 10000 --jobs 2
    python bench/build_bench.py --mode auto --n 100000
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from warta.corpus import dump_annotation  # noqa: E402
from warta.text import sha256_bytes  # noqa: E402

OUT = ROOT / "bench" / "out"
SEED = 20230726


# --------------------------------------------------------------------------
# Vocabulary of the synthetic news (invented names; Indonesian function words).
# --------------------------------------------------------------------------
def _split(words: str, sep: str) -> tuple[str, ...]:
    return tuple(words.split(sep))


FIRST = _split(
    "Andi Budi Citra Dewi Eko Fajar Gita Hendra Indah Joko Kartika Lestari Made Nur Oki "
    "Putri Rudi Sari Taufik Utami Wahyu Yanti Agus Bambang Retno Siti Ahmad Rizky Nanda",
    " ",
)
LAST = _split(
    "Santoso Wijaya Pratama Saputra Hidayat Kusuma Nugroho Siregar Harahap Simanjuntak "
    "Setiawan Rahmawati Lubis Wibowo Gunawan Purnomo Halim Tanjung Nasution Sitompul",
    " ",
)
TITLES = _split(
    "Menteri Keuangan|Gubernur|Kepala Dinas Kesehatan|Ketua Umum|Direktur Utama|"
    "Juru Bicara|Wali Kota|Kapolres|Pengamat ekonomi|Sekretaris Jenderal",
    "|",
)
ORGS = _split(
    "Kementerian Perdagangan|Badan Pusat Statistik|Bank Indonesia|PT Sinar Nusantara Tbk|"
    "Dinas Perhubungan|Komisi Pemberantasan Korupsi|Universitas Gadjah Mada|"
    "Partai Maju Bersama|Pengadilan Negeri Surabaya|Otoritas Jasa Keuangan|"
    "Polda Metro Jaya|Yayasan Cahaya Bangsa|Koperasi Tani Makmur|Bursa Efek Indonesia",
    "|",
)
PLACES = _split(
    "Jakarta|Surabaya|Bandung|Medan|Makassar|Semarang|Yogyakarta|Denpasar|Palembang|"
    "Balikpapan|Kupang|Jayapura|Kabupaten Bogor|Kota Malang|Provinsi Riau|Pulau Lombok",
    "|",
)
OUTLETS = ("Kompas.com", "Tribunnews.com", "Liputan6.com", "Detik.com", "Okezone.com")
TOPICS = _split(
    "harga beras|inflasi daerah|pembangunan jalan tol|layanan kesehatan|subsidi energi|"
    "pendidikan dasar|penanganan banjir|ekspor kopi|pariwisata|transportasi umum|"
    "perlindungan UMKM|pengelolaan sampah|kenaikan upah minimum|pasokan listrik",
    "|",
)
VERBS = _split(
    "meningkatkan|memperbaiki|mengawasi|membahas|mengevaluasi|mendukung|menunda|"
    "mempercepat|menyiapkan|meninjau",
    "|",
)
CLAUSES = _split(
    "program itu akan dilanjutkan hingga akhir tahun|"
    "anggaran tambahan sudah disiapkan sejak bulan lalu|"
    "masyarakat diminta tetap tenang dan tidak panik|"
    "pihaknya masih menunggu hasil pemeriksaan lengkap|"
    "kebijakan tersebut berlaku mulai pekan depan|"
    "jumlah penerima bantuan naik dibandingkan tahun sebelumnya|"
    "koordinasi antarlembaga terus diperkuat di lapangan|"
    "data terbaru akan diumumkan secara terbuka kepada publik",
    "|",
)
FILLER = _split(
    "Langkah ini dinilai penting untuk menjaga stabilitas harga di tingkat konsumen.|"
    "Sejumlah warga mengaku sudah merasakan dampaknya dalam beberapa bulan terakhir.|"
    "Rapat koordinasi digelar secara tertutup dan berlangsung hampir tiga jam.|"
    "Hingga berita ini diturunkan, belum ada tanggapan resmi dari pihak terkait.|"
    "Kenaikan tersebut tercatat sekitar 4,5 persen dibandingkan periode yang sama.|"
    "Pemerintah daerah juga menyiapkan posko pengaduan bagi warga yang terdampak.|"
    "Para pedagang berharap situasi segera kembali normal menjelang akhir pekan.|"
    "Program serupa sebelumnya pernah dijalankan di beberapa daerah lain.",
    "|",
)
SPEECH = ("kata", "ujar", "ucap", "tutur", "jelas", "tegas", "kata")
INDIRECT = ("mengatakan", "menyebutkan", "menjelaskan", "menegaskan")


class ArticleText:
    """An article being written, with the offsets of every span it contains."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[str] = []
        self.pos = 0
        self.boilerplate: list[dict[str, Any]] = []
        self.entities: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []

    def add(self, text: str) -> dict[str, Any]:
        span = {"start": self.pos, "end": self.pos + len(text), "text": text}
        self.parts.append(text)
        self.pos += len(text)
        return span

    def entity(self, name: str, label: str) -> dict[str, Any]:
        span = self.add(name)
        self.entities.append({**span, "label": label})
        return span

    def furniture(self, line: str, label: str) -> None:
        span = self.add(line)
        self.boilerplate.append({**span, "label": label})
        self.add("\n")

    def person(self) -> tuple[dict[str, Any], str]:
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        return self.entity(name, "PER"), name

    def sentence(self) -> None:
        rng = self.rng
        shape = rng.randrange(4)
        if shape == 0:
            self.entity(rng.choice(ORGS), "ORG")
            self.add(f" berencana {rng.choice(VERBS)} {rng.choice(TOPICS)} di ")
            self.entity(rng.choice(PLACES), "LOC")
            self.add(". ")
        elif shape == 1:
            self.add(f"Warga {rng.choice(('di', 'dari'))} ")
            self.entity(rng.choice(PLACES), "LOC")
            self.add(f" menilai {rng.choice(TOPICS)} perlu mendapat perhatian. ")
        else:
            self.add(rng.choice(FILLER) + " ")

    def direct_quote(self) -> None:
        rng = self.rng
        self.add('"')
        content = self.add(rng.choice(CLAUSES).capitalize())
        self.add('," ')
        cue = self.add(rng.choice(SPEECH))
        self.add(f" {rng.choice(TITLES)} ")
        speaker, name = self.person()
        self.add(". ")
        self.quotes.append(
            {"kind": "direct", "content": content, "cue": cue, "speaker": speaker,
             "speaker_name": name}
        )  # fmt: skip

    def indirect_quote(self) -> None:
        rng = self.rng
        speaker, name = self.person()
        self.add(" ")
        cue = self.add(rng.choice(INDIRECT))
        self.add(" bahwa ")
        content = self.add(rng.choice(CLAUSES))
        self.add(". ")
        self.quotes.append(
            {"kind": "indirect", "content": content, "cue": cue, "speaker": speaker,
             "speaker_name": name}
        )  # fmt: skip

    def paragraph(self) -> None:
        for _ in range(self.rng.randrange(2, 5)):
            roll = self.rng.random()
            if roll < 0.2:
                self.direct_quote()
            elif roll < 0.35:
                self.indirect_quote()
            else:
                self.sentence()
        # The paragraph ends in a line break, never in the trailing space.
        self.parts[-1] = self.parts[-1].rstrip(" ")
        self.pos = sum(len(p) for p in self.parts)
        self.add("\n")

    def text(self) -> str:
        return "".join(self.parts)


def make_article(seed: int, index: int) -> tuple[str, dict[str, Any]]:
    """One article's raw text and its fully manual annotation (without id and hash)."""
    rng = random.Random(f"{seed}:{index}")
    art = ArticleText(rng)
    outlet = rng.choice(OUTLETS)
    topic = rng.choice(TOPICS)
    art.add(f"{rng.choice(ORGS).split()[-1]} Bahas {topic.title()} Pekan Ini\n")
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2019, 2024)
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    art.furniture(f"{outlet} - {day:02d}/{month:02d}/{year}, {hour:02d}:{minute:02d} WIB", "byline")
    writer, editor = (f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(2))
    art.furniture(f"Penulis: {writer} | Editor: {editor}", "byline")
    place = rng.choice(PLACES[:10])
    art.entity(place.upper(), "LOC")
    art.add(f", {outlet.upper()} - ")
    art.sentence()
    art.parts[-1] = art.parts[-1].rstrip(" ")
    art.pos = sum(len(p) for p in art.parts)
    art.add("\n")
    target = rng.randint(2000, 4000)
    while art.pos < target - 300:
        art.paragraph()
        roll = rng.random()
        if roll < 0.2:
            art.furniture(
                f"Baca juga: {rng.choice(TOPICS).title()} di {rng.choice(PLACES)}", "related"
            )
        elif roll < 0.3:
            art.furniture("ADVERTISEMENT", "promo")
            art.furniture("SCROLL TO CONTINUE WITH CONTENT", "interface")
    art.furniture(f"Sumber: {outlet}", "source")
    annotation = {
        "metadata": {
            "outlet": outlet.lower(),
            "published": f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+07:00",
            "story": f"story{index // 3:07d}",
        },
        "manual": ["boilerplate", "entities", "quotes"],
        "boilerplate": art.boilerplate,
        "entities": art.entities,
        "quotes": art.quotes,
    }
    return art.text(), annotation


def write_articles(
    folder: Path, indices: range, manual: tuple[str, ...] | None, seed: int = SEED
) -> None:
    """Write synthetic articles; with ``manual``, annotation files listing those layers."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in indices:
        aid = f"syn{i:07d}"
        text, annotation = make_article(seed, i)
        raw = text.encode("utf-8")
        (folder / f"{aid}.txt").write_bytes(raw)
        if manual is not None:
            doc = {"id": aid, "text_sha256": sha256_bytes(raw), **annotation}
            doc["manual"] = list(manual)
            for layer in ("boilerplate", "entities", "quotes"):
                if layer not in manual:
                    del doc[layer]
            (folder / f"{aid}.json").write_text(dump_annotation(doc), encoding="utf-8")


def _write_range(args: tuple[Path, int, int, int, float]) -> None:
    folder, seed, start, stop, share = args
    for i in range(start, stop):
        aid = f"syn{i:07d}"
        text, annotation = make_article(seed, i)
        raw = text.encode("utf-8")
        (folder / f"{aid}.txt").write_bytes(raw)
        if random.Random(f"{seed}:share:{i}").random() < share:
            doc = {"id": aid, "text_sha256": sha256_bytes(raw), **annotation}
            (folder / f"{aid}.json").write_text(dump_annotation(doc), encoding="utf-8")


def generate(folder: Path, n: int, share: float, seed: int = SEED, jobs: int = 2) -> Path:
    """Write (or reuse) a corpus of ``n`` articles, a ``share`` of them annotated."""
    # The marker sits beside the corpus, not in it, where the build would warn of it.
    done = folder.with_name(folder.name + ".complete")
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    step = 2_000
    ranges = [(folder, seed, s, min(n, s + step), share) for s in range(0, n, step)]
    with get_context("fork").Pool(jobs) as pool:
        pool.map(_write_range, ranges)
    done.write_text("ok\n")
    return folder


# --------------------------------------------------------------------------
# Measuring.
# --------------------------------------------------------------------------
@dataclass
class Peak:
    """The largest process-tree memory seen while it ran, in bytes."""

    rss: int = 0
    pss: int = 0
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            full = self.samples % 10 == 0  # PSS reads smaps: every 0.5 s only
            rss = pss = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    info = proc.memory_full_info() if full else proc.memory_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
            self.rss = max(self.rss, rss)
            if full:
                self.pss = max(self.pss, pss)
            self.samples += 1
            self._stop.wait(0.05)

    def __enter__(self) -> Peak:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu_seconds() -> float:
    """User and system CPU of this process and its finished children (pool workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def warm(corpus: Path) -> None:
    """Read every file once, untimed: the build and the baselines all find it cached.

    Otherwise whichever reads the corpus first would pay for the disk alone.
    """
    for path in corpus.iterdir():
        if path.suffix in (".txt", ".json"):
            path.read_bytes()


def baseline(corpus: Path, out: Path) -> int:
    """The conversion a user would write by hand: read all, from_list, to_parquet."""
    import datasets

    records = []
    for txt in sorted(corpus.glob("*.txt")):
        record: dict[str, Any] = {"id": txt.stem, "text": txt.read_text(encoding="utf-8")}
        ann = txt.with_suffix(".json")
        doc = json.loads(ann.read_text(encoding="utf-8")) if ann.exists() else {}
        for key in ("metadata", "manual", "boilerplate", "entities", "quotes"):
            record[key] = doc.get(key)
        records.append(record)
    datasets.Dataset.from_list(records).to_parquet(str(out / "articles.parquet"))
    return len(records)


# The most rows the records baseline converts in one piece. As Python dicts a
# `ner` row takes about 4 KB, so at 100,000 articles (3.4 million `ner` rows)
# every config is converted whole, at a peak RSS of 16 GiB. An `articles` or
# `clean` row takes about 25 KB: from about 600,000 articles those configs
# need a lower --piece-rows to fit in memory.
PIECE_ROWS = 4_000_000


def built_pieces(dist: Path, piece_rows: int = PIECE_ROWS) -> Iterator[tuple[str, list[Path]]]:
    """The build's shards, config by config, in runs of at most ``piece_rows`` rows
    each (or one shard, if larger)."""
    import pyarrow.parquet as pq

    for folder in sorted(p for p in dist.iterdir() if p.is_dir()):
        piece: list[Path] = []
        size = 0
        for shard in sorted(folder.glob("*.parquet")):
            rows = pq.read_metadata(shard).num_rows
            if piece and size + rows > piece_rows:
                yield folder.name, piece
                piece, size = [], 0
            piece.append(shard)
            size += rows
        if piece:
            yield folder.name, piece


def records_baseline(
    dist: Path, out: Path, piece_rows: int = PIECE_ROWS
) -> tuple[int, float, float, Peak]:
    """The same conversion on the build's own records: from_list, to_parquet.

    Each config whole (in pieces of at most ``piece_rows``, for one too large
    to hold as Python rows): its rows are read back as Python dicts off the
    clock, then converted on it. Returns the rows, the summed wall and CPU
    seconds of the conversions, and the peak memory of the whole loop (which
    includes the rows read back: a user's conversion holds them too).
    """
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 0
    seconds = cpu = 0.0
    with Peak() as peak:
        for index, (name, shards) in enumerate(built_pieces(dist, piece_rows)):
            records = pa.concat_tables(pq.read_table(s) for s in shards).to_pylist()
            target = str(out / f"{name}-{index:05d}.parquet")
            gc.collect()  # as before any timed run: no collector debt carried in
            cpu0, t0 = _cpu_seconds(), time.perf_counter()
            datasets.Dataset.from_list(records).to_parquet(target)
            seconds += time.perf_counter() - t0
            cpu += _cpu_seconds() - cpu0
            rows += len(records)
            del records
    return rows, seconds, cpu, peak


def _timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float, float, Peak]:
    """``fn(*args, **kwargs)``: its result, wall seconds, CPU seconds and peak memory."""
    gc.collect()
    cpu0 = _cpu_seconds()
    with Peak() as peak:
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        seconds = time.perf_counter() - t0
    return result, seconds, _cpu_seconds() - cpu0, peak


def run(
    n: int,
    mode: str,
    jobs: int,
    share: float | None,
    keep: bool,
    configs: list[str] | None = None,
    baselines: tuple[str, ...] = ("files", "records"),
    repeat: int = 1,
    piece_rows: int = PIECE_ROWS,
) -> dict[str, Any]:
    """Generate, build, run the baselines; the figures of one benchmark row."""
    from warta import pipeline
    from warta.pipeline import build

    if configs:  # only some configs (the baseline writes the equivalent of `articles`)
        pipeline.CONFIGS = {k: v for k, v in pipeline.CONFIGS.items() if k in configs}

    share = (1.0 if mode == "manual" else 0.0) if share is None else share
    corpus = generate(OUT / f"corpus-{n}-{share:g}-{SEED}", n, share)
    warm(corpus)
    target = Path(os.environ.get("WARTA_BENCH_OUT", "/tmp/warta-bench"))
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    stages: dict[str, float] = {}

    def stage(name: str) -> None:
        stages[name] = time.perf_counter()

    # Build and baseline alternate ``repeat`` times: the machine's speed drifts
    # over minutes, so each ratio pairs two runs made one after the other,
    # and the figures reported are the medians.
    runs: list[tuple[float, float, Peak]] = []
    base_runs: list[tuple[float, float, Peak]] = []
    for _ in range(repeat):
        stages.clear()
        shutil.rmtree(target / "dist", ignore_errors=True)
        result, seconds, cpu, peak = _timed(
            build, [corpus], target / "dist", jobs=jobs, on_stage=stage
        )
        marks = [*stages.values(), time.perf_counter()]
        spent = {
            name: round(b - a, 1) for name, a, b in zip(stages, marks, marks[1:], strict=False)
        }
        built = sum(result.stats.articles.values())
        assert built == n, (built, n)
        runs.append((seconds, cpu, peak))
        if "files" in baselines:
            rows, base_seconds, base_cpu, base_peak = _timed(baseline, corpus, target)
            assert rows == n
            base_runs.append((base_seconds, base_cpu, base_peak))
    seconds = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    # Memory of the first build only: a baseline leaves this process holding
    # gigabytes it does not give back, which later builds' workers inherit.
    peak_rss, peak_pss = runs[0][2].rss, runs[0][2].pss
    figures: dict[str, Any] = {}
    if repeat > 1:
        figures["build_seconds_each"] = [round(r[0], 2) for r in runs]
    if base_runs:
        ratios = [r[0] / b[0] for r, b in zip(runs, base_runs, strict=True)]
        figures.update(
            baseline_seconds=round(statistics.median(b[0] for b in base_runs), 2),
            baseline_cpu_s=round(statistics.median(b[1] for b in base_runs), 1),
            baseline_peak_rss_mb=round(max(b[2].rss for b in base_runs) / 2**20),
            ratio=round(statistics.median(ratios), 2),
        )
        if repeat > 1:
            figures["baseline_seconds_each"] = [round(b[0], 2) for b in base_runs]
            figures["ratio_each"] = [round(x, 2) for x in ratios]
    if "records" in baselines:
        rows, rec_seconds, rec_cpu, rec_peak = records_baseline(target / "dist", target, piece_rows)
        figures.update(
            records_baseline_rows=rows,
            records_baseline_seconds=round(rec_seconds, 2),
            records_baseline_cpu_s=round(rec_cpu, 1),
            records_baseline_peak_rss_mb=round(rec_peak.rss / 2**20),
            records_ratio=round(seconds / rec_seconds, 2),
        )
    if not keep:
        shutil.rmtree(target, ignore_errors=True)
    return {
        "n": n,
        "mode": mode,
        "share": share,
        "jobs": jobs,
        "configs": ",".join(pipeline.CONFIGS),
        "seconds": round(seconds, 2),
        "articles_per_s": round(n / seconds, 1),
        "peak_rss_mb": round(peak_rss / 2**20),
        "peak_pss_mb": round(peak_pss / 2**20),
        "cpu_s": round(cpu, 1),
        **figures,
        # What the CPU time allows on `jobs` idle cores (other load on the machine
        # slows the wall clock, not the CPU time).
        "cpu_bound_articles_per_s": round(n / (cpu / jobs), 1),
        "stages_s": spent,
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument("--mode", choices=("manual", "auto"), default="manual")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--share", type=float, default=None, help="annotated share (manual 1.0, auto 0.0)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the built folders")
    parser.add_argument(
        "--configs", nargs="+", default=None, help="build only these configs (default: all)"
    )
    parser.add_argument(
        "--baselines",
        nargs="*",
        choices=("files", "records"),
        default=["files", "records"],
        help="which baselines to run (default both; see the module docstring)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="alternate build and files baseline this many times; report medians (default 1)",
    )
    parser.add_argument(
        "--piece-rows",
        type=int,
        default=PIECE_ROWS,
        help=f"most rows the records baseline converts at once (default {PIECE_ROWS:,})",
    )
    parser.add_argument("--json", action="store_true", help="print the row as JSON")
    args = parser.parse_args()
    row = run(
        args.n,
        args.mode,
        args.jobs,
        args.share,
        args.keep,
        args.configs,
        tuple(args.baselines),
        max(1, args.repeat),
        args.piece_rows,
    )
    if args.json:
        print(json.dumps(row))
        return
    for key, value in row.items():
        print(f"{key:>22}: {value}")


if __name__ == "__main__":
    main()

"""The build: validate, read, annotate and write a Hugging Face dataset folder.

Articles flow in small chunks from disk through the annotators and the views
into Arrow tables, optionally in worker processes, and on into streaming
Parquet writers, so memory stays flat whatever the corpus size (but for the
listing of its files, under 1 KB an article), and the output does not depend
on the number of workers. Everything is written to a
temporary folder beside the target and swapped in at the end: a failed build
leaves the previous output untouched, and a target that an earlier build did
not make is refused before any work (see :mod:`warta.outputs`).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta import __version__, duplicates, schema, splits
from warta.annotate import Annotators
from warta.collector import fewer_collections
from warta.corpus import ArticleFiles, read_file
from warta.export import card
from warta.export.parquet import SplitWriter
from warta.outputs import claim_folder, staging
from warta.parallel import chunk_size, ordered_map
from warta.records import article_record
from warta.stats import Stats
from warta.validate import (
    Problem,
    check_and_load,
    check_article_safely,
    check_structure,
    validate,
)
from warta.views import CONFIGS, Builder
from warta.views import prepare as prepare_views

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


class BuildError(Exception):
    """The corpus has problems; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the corpus")
        self.problems = list(problems)


@dataclass
class BuildResult:
    """What a build wrote."""

    out: Path
    stats: Stats
    configs: list[card.ConfigInfo] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def repo_root() -> Path:
    """The source checkout holding ``dataset_card.md`` (the package's parent folder)."""
    return Path(__file__).resolve().parent.parent


def manual_entity_docs(found: Sequence[ArticleFiles]) -> Iterator[tuple[str, list, list]]:
    """Training material for the entity tagger: articles whose entity layer is manual."""
    for files in found:
        if files.json_file is None or files.txt_file is None:
            continue
        article, _problems = check_and_load(files)
        if article is None:
            continue  # reported where the build checks the article
        doc = article.annotation or {}
        if "entities" not in doc.get("manual", []):
            continue
        boiler = doc.get("boilerplate", []) if "boilerplate" in doc.get("manual", []) else []
        yield article.text, doc.get("entities", []), boiler


_WORKER: Annotators | None = None
_OVERRIDES: dict[str, str] = {}


def _init_worker(annotators: Annotators, overrides: dict[str, str] | None = None) -> None:
    global _WORKER, _OVERRIDES
    _WORKER = annotators
    _OVERRIDES = overrides or {}


def process(
    files: ArticleFiles, annotators: Annotators | None = None, split: str | None = None
) -> dict[str, Any]:
    """One article checked, then its ``articles`` record and split.

    Checking here, in the worker, reads and parses every file once; an article
    with problems gives only its problems. ``split`` overrides the article's
    own (a near-duplicate group's, see :mod:`warta.duplicates`).
    """
    annotators = annotators or _WORKER
    assert annotators is not None
    article, problems = check_and_load(files)
    if article is None:
        return {"problems": problems}
    record = article_record(article, annotators)
    return {"split": split or splits.assign(record["story"]), "record": record}


@dataclass
class Chunk:
    """A run of consecutive articles, processed: Arrow tables ready to write, or problems.

    Workers send chunks rather than rows: Arrow buffers cross between
    processes far more cheaply than Python objects, and the writer is left
    with nothing to convert. ``tables`` maps a config and split to its rows
    and their sizes (see :func:`warta.export.parquet.table_row_sizes`).
    """

    articles: int
    problems: list[Problem] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    tables: dict[tuple[str, str], tuple[pa.Table, np.ndarray]] = field(default_factory=dict)

    def __getstate__(self) -> dict[str, Any]:
        # Arrow's IPC format pickles ten times faster than a pickled Table.
        from warta.export.parquet import table_to_bytes

        state = dict(self.__dict__)
        state["tables"] = {k: (table_to_bytes(t), s) for k, (t, s) in self.tables.items()}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        from warta.export.parquet import table_from_bytes

        state["tables"] = {k: (table_from_bytes(b), s) for k, (b, s) in state["tables"].items()}
        self.__dict__.update(state)


def process_chunk(
    chunk: Sequence[ArticleFiles],
    annotators: Annotators | None = None,
    overrides: dict[str, str] | None = None,
) -> Chunk:
    """``process`` over consecutive articles, their rows turned into one table per config and split.

    Once an article has problems nothing will be written, so the rest of the
    chunk is only checked. ``overrides`` maps ids to splits other than their
    own (by default, the worker's, from :func:`_init_worker`).
    """
    overrides = _OVERRIDES if overrides is None else overrides
    from warta.export.parquet import table_encoder, table_from_columns, table_row_sizes

    out = Chunk(articles=len(chunk))
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    builders: dict[tuple[str, str], Builder] = {}
    with fewer_collections():  # also in workers of other engines (Dask)
        for files in chunk:
            if out.problems:
                out.problems += check_article_safely(files)
                continue
            item = process(files, annotators, overrides.get(files.id))
            if "problems" in item:
                out.problems += item["problems"]
                continue
            split, record = item["split"], item["record"]
            out.stats.add(record, split)
            # Every config of one article in turn: the views share their
            # picture of the article's lines (see warta.views.content).
            for name, config in CONFIGS.items():
                if config.builder is not None:
                    key = (name, split)
                    if key not in builders:
                        builders[key] = config.builder()
                    builders[key].add(record)
                else:
                    rows.setdefault((name, split), []).extend(config.rows(record))
            # A megabyte article's record weighs hundreds of megabytes: let it go
            # before the tables are made, not when the chunk is done.
            del item, record
        if not out.problems:
            for (name, split), config_rows in rows.items():
                if config_rows:
                    table = table_encoder(CONFIGS[name].schema)(config_rows)
                    out.tables[(name, split)] = (table, table_row_sizes(table))
            for name, split in list(builders):
                builder = builders.pop((name, split))  # freed as soon as its table is made
                if len(builder):
                    arrow_schema = table_encoder(CONFIGS[name].schema).schema
                    table = table_from_columns(arrow_schema, builder.columns())
                    out.tables[(name, split)] = (table, table_row_sizes(table))
                del builder
        rows.clear()  # freed here, not scanned by the collector the threshold wakes
        builders.clear()
    return out


def _chunks(
    found: Sequence[ArticleFiles],
    annotators: Annotators,
    jobs: int,
    overrides: dict[str, str] | None = None,
) -> Iterator[Chunk]:
    """``process_chunk`` over the corpus in order, in ``jobs`` processes, a bounded window ahead."""
    overrides = overrides or {}
    size = chunk_size(len(found), jobs)
    parts = [found[i : i + size] for i in range(0, len(found), size)]
    if jobs <= 1 or len(parts) < 2:
        for part in parts:
            yield process_chunk(part, annotators, overrides)
        return
    # Load the views' language data once in the parent: forked workers share it.
    prepare_views(CONFIGS.values())
    yield from ordered_map(
        process_chunk,
        parts,
        jobs,
        initializer=_init_worker,
        initargs=(annotators, overrides),
        chunk=1,
    )


_MANUAL = re.compile(rb'"manual"\s*:\s*\[([^\]]*)\]')


def _entities_automatic(files: ArticleFiles) -> bool:
    if files.json_file is None:
        return True
    try:
        raw = read_file(files.json_file)
    except OSError:
        return False  # reported where the build checks the article, and nothing is built
    # The top-level "manual" list, found without parsing the whole file (a key
    # written inside a string value is escaped, so it cannot match).
    found = _MANUAL.search(raw)
    if found is not None and raw.count(b'"manual"') == 1:
        return b'"entities"' not in found[1]
    try:
        manual = json.loads(raw).get("manual", [])
    except (ValueError, AttributeError, RecursionError):
        return True  # a broken file is reported where the build checks it
    return not isinstance(manual, list) or "entities" not in manual


# Below this many articles the scan takes well under a second: no second process.
_SCAN_APART = 20_000
# Seconds a forked scan may take beyond a millisecond per article.
_SCAN_PATIENCE = 60.0


def _scan(found: Sequence[ArticleFiles], send: Any) -> None:
    send.send(any(map(_entities_automatic, found)))
    send.close()


def needs_tagger(
    found: Sequence[ArticleFiles], alongside: Callable[[], object] | None = None
) -> bool:
    """Whether some article's entity layer is left to the tagger (validated corpus).

    The test is one search through each annotation file: a second of reading
    per 100,000 articles when all are manual. ``alongside`` (loading the
    views' language data) runs meanwhile: for a large corpus the scan goes to
    a forked process, which inherits the listing instead of being sent it, so
    the two take one second instead of two.
    """
    apart = (
        alongside is not None
        and len(found) >= _SCAN_APART
        and "fork" in multiprocessing.get_all_start_methods()
        and sys.platform != "darwin"
    )
    if not apart:
        needed = any(map(_entities_automatic, found))
        if alongside is not None:
            alongside()
        return needed
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_scan, args=(found, send), daemon=True)
    child.start()
    send.close()
    try:
        alongside()  # type: ignore[misc]
        # A hundred times the time the scan takes; a forked child that hangs
        # (a lock some thread of the parent held at the fork) is given up.
        if receive.poll(_SCAN_PATIENCE + len(found) / 1000):
            try:
                return bool(receive.recv())
            except EOFError:  # the scan died (out of memory...)
                pass
        return any(map(_entities_automatic, found))
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()


def learn_annotators(
    found: Sequence[ArticleFiles], auto: bool = True, alongside: Callable[[], object] | None = None
) -> Annotators:
    """The build's annotators; the tagger is trained only if some article needs it.

    Training reads every manual entity layer and grows with them, so a corpus
    whose entity layers are all manual skips it: the output is the same.
    ``alongside`` runs while the corpus is looked through (see :func:`needs_tagger`).
    """
    if not auto:
        if alongside is not None:
            alongside()
        return Annotators.disabled()
    if not needs_tagger(found, alongside):
        return Annotators()
    return Annotators.learn(manual_entity_docs(found))


def prepare(
    corpus: Sequence[str | Path],
    jobs: int = 1,
    auto: bool = True,
    say: Callable[[str], None] = lambda _msg: None,
    alongside: Callable[[], object] | None = None,
) -> tuple[list[ArticleFiles], Annotators]:
    """Check the corpus's structure, list the articles and learn the annotators.

    Each article is checked later, where it is processed; a corpus whose
    structure is broken is validated in full here so every problem is reported.
    ``alongside`` runs while the annotators are learnt, if the structure is sound.
    """
    say("checking the corpus")
    found_all, problems = check_structure(list(corpus))
    if any(p.severity == "error" for p in problems):
        raise BuildError(validate(list(corpus), jobs=jobs).errors)
    for warning in problems:
        say(f"warning: {warning}")
    found = [f for f in found_all if f.txt_file is not None]
    say("training the entity tagger")
    return found, learn_annotators(found, auto, alongside)


def plan_splits(
    found: Sequence[ArticleFiles],
    jobs: int = 1,
    releases: str | Path | duplicates.Released | None = None,
    say: Callable[[str], None] = lambda _msg: None,
) -> duplicates.Plan:
    """Look for duplicate texts and near-duplicates; split the near-duplicate groups.

    Runs before anything is written (the workers need every article's split):
    duplicate texts stop the build with :class:`BuildError`. ``releases`` is
    the folder of release records (``releases/``) whose articles keep their
    splits, or what they hold.
    """
    say("looking for duplicates")
    if not isinstance(releases, duplicates.Released):
        releases = duplicates.read_released(releases)
    found_plan = duplicates.plan(found, jobs, releases)
    errors = [p for p in found_plan.problems if p.severity == "error"]
    if errors:
        raise BuildError(sorted(errors))
    return found_plan


@contextmanager
def progress(total: int, enabled: bool, desc: str) -> Iterator[Callable[[int], object]]:
    """A progress bar with rate and time left, on stderr, when asked for; yields its ``update``."""
    if not enabled:
        yield lambda _n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, unit=" articles", file=sys.stderr) as bar:
        yield bar.update


def write_dataset(
    found: Sequence[ArticleFiles],
    folder: Path,
    annotators: Annotators,
    jobs: int = 1,
    show_progress: bool = False,
    shard_rows: int | None = None,
    chunks: Iterator[Chunk] | None = None,
    plan: duplicates.Plan | None = None,
) -> tuple[Stats, list[card.ConfigInfo]]:
    """Stream every config of every article into Parquet shards under ``folder``.

    ``chunks`` replaces the local workers with another source of processed
    articles (``process_chunk`` results, in corpus order), such as a distributed
    engine, which must apply the same ``plan`` (:func:`plan_splits`).
    """
    plan = plan or duplicates.Plan()
    stats = Stats(near_duplicate_groups=plan.groups, near_duplicate_articles=plan.grouped)
    writers: dict[tuple[str, str], SplitWriter] = {}
    features = {name: schema.features(config.schema) for name, config in CONFIGS.items()}
    extra = {"shard_rows": shard_rows} if shard_rows else {}
    if chunks is None:
        chunks = _chunks(found, annotators, jobs, plan.overrides)
    problems: list[Problem] = []
    with progress(len(found), show_progress, "building") as bar:
        for chunk in chunks:
            bar(chunk.articles)
            problems += chunk.problems
            if problems:
                continue  # nothing will be kept: only collect the remaining problems
            stats.merge(chunk.stats)
            for (name, split), (table, sizes) in chunk.tables.items():
                if not table.num_rows:
                    continue
                key = (name, split)
                if key not in writers:
                    writers[key] = SplitWriter(folder / name, split, features[name], **extra)
                writers[key].write_table(table, sizes)
    if problems:
        for writer in writers.values():
            writer.close()
        raise BuildError(sorted(problems))
    configs = []
    for name, config in CONFIGS.items():
        info = card.ConfigInfo(
            name=name, features=features[name], rows={}, bytes={}, files={}, default=config.default
        )
        for split in splits.SPLITS:
            writer = writers.get((name, split))
            if writer is None:
                continue
            info.rows[split] = writer.rows
            info.bytes[split] = writer.bytes
            info.files[split] = [str(p.relative_to(folder)) for p in writer.close()]
        configs.append(info)
    return stats, configs


def card_values(stats: Stats, version: str, changes: str = "") -> dict[str, str]:
    """The placeholders of ``dataset_card.md``."""
    empty = [s for s in splits.SPLITS if not stats.articles[s]]
    split_text = f"Rule: `{splits.RULE}`."
    if stats.near_duplicate_groups:
        split_text += " " + splits.GROUP_RULE
    if empty:
        split_text += " Empty splits are left out of this release: " + ", ".join(empty) + "."
    docs = repo_root() / "docs"
    scores = {}
    for key, path in (
        ("agreement", docs / "agreement" / "seeds-pass-a-vs-b.json"),
        ("evaluation", docs / "evaluation" / "seeds.json"),
        ("evaluation_unseen", docs / "evaluation" / "seeds-before-revision.json"),
        ("evaluation_dev", docs / "evaluation" / "realworld-dev.json"),
    ):
        scores[key] = (
            card.scores_markdown(json.loads(path.read_text(encoding="utf-8")))
            if path.is_file()
            else "Not measured yet."
        )
    return {
        **scores,
        "version": version,
        "statistics": stats.markdown(),
        "splits": split_text,
        "changes": changes or "First release.",
    }


def write_card(
    folder: Path, stats: Stats, configs: list[card.ConfigInfo], version: str, changes: str = ""
) -> Path:
    """Write ``README.md`` from ``dataset_card.md`` and the build's numbers."""
    creators = set()
    for layer in schema.LAYERS:
        if stats.status[(layer, "manual")]:
            creators.add("expert-generated")
        if stats.status[(layer, "auto")]:
            creators.add("machine-generated")
    data = card.card_data(configs, sum(stats.articles.values()), creators)
    template = card.template_path(repo_root()).read_text(encoding="utf-8")
    text = card.render(template, data, card_values(stats, version, changes))
    path = folder / "README.md"
    path.write_text(text, encoding="utf-8")
    licence = card.template_path(repo_root()).with_name("LICENSE.md")
    (folder / "LICENSE.md").write_bytes(licence.read_bytes())
    return path


def build(
    corpus: Sequence[str | Path],
    out: str | Path,
    jobs: int | None = None,
    show_progress: bool = False,
    auto: bool = True,
    on_stage: Callable[[str], None] | None = None,
    releases: str | Path | None = None,
) -> BuildResult:
    """Validate the corpus, then write the dataset folder ``out`` atomically.

    ``out`` must be new, empty, or an earlier build's output, and apart from
    the corpus and any checkout; otherwise :class:`warta.outputs.OutputRefused`
    is raised before any work. Articles of the release records in ``releases``
    keep the splits they were released in (see :mod:`warta.splits`).
    """
    target = claim_folder(out, "build", corpus)
    say = on_stage or (lambda _msg: None)
    jobs = jobs or os.cpu_count() or 1
    with fewer_collections():
        # The workers fork from this process: spaCy's language data, loaded
        # here while the corpus is looked through, is shared with them.
        found, annotators = prepare(
            corpus, jobs, auto, say, alongside=lambda: prepare_views(CONFIGS.values())
        )
        plan = plan_splits(found, jobs, releases, say)
        with staging(target, "build") as folder:
            say("writing")
            stats, configs = write_dataset(
                found, folder, annotators, jobs, show_progress, plan=plan
            )
            write_card(folder, stats, configs, __version__)
    return BuildResult(out=Path(out), stats=stats, configs=configs, warnings=plan.problems)

"""The build: validate, read, annotate and write a Hugging Face dataset folder.

Articles flow in small chunks from disk through the annotators and the views
into Arrow tables, optionally in worker processes, and on into streaming
Parquet writers, so memory stays flat whatever the corpus size (but for the
listing of its files, under 1 KB an article), and the output does not depend
on the number of workers. An article longer than the annotation's part limit
goes through the workers in pieces (:class:`Tasks`), so that one page dump of
megabytes keeps every core busy and no process holds all its rows as Python
objects. Everything is written to a
temporary folder beside the target and swapped in at the end: a failed build
leaves the previous output untouched, and a target that an earlier build did
not make is refused before any work (see :mod:`warta.outputs`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta import __version__, annotate, duplicates, records, schema, splits
from warta.annotate import Annotators
from warta.collector import fewer_collections
from warta.corpus import ArticleFiles, read_file
from warta.errors import BuildError
from warta.executors import Executor, Local
from warta.export import card
from warta.export.parquet import SplitWriter
from warta.furniture.evidence import outlet_of
from warta.outputs import claim_folder, staging
from warta.progress import progress
from warta.records import Piece, article_record, piece_record
from warta.schema import ANNOTATION, LAYER
from warta.stats import Stats
from warta.text import decode
from warta.validation import (
    Problem,
    check_and_load,
    check_article_safely,
    check_structure,
    validate,
)
from warta.views import CONFIGS, Builder, join

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


@dataclass
class BuildResult:
    """What a build wrote."""

    out: Path
    stats: Stats
    configs: list[card.ConfigInfo] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def manual_entity_docs(found: Sequence[ArticleFiles]) -> Iterator[tuple[str, list, list]]:
    """Training material for the entity tagger: articles whose entity layer is manual."""
    for files in found:
        if files.json_file is None or files.txt_file is None:
            continue
        article, _problems = check_and_load(files)
        if article is None:
            continue  # reported where the build checks the article
        doc = article.annotation or {}
        manual = doc.get(ANNOTATION.manual, [])
        if LAYER.entities not in manual:
            continue
        furniture = LAYER.boilerplate
        boiler = doc.get(furniture, []) if furniture in manual else []
        yield article.text, doc.get(LAYER.entities, []), boiler


_WORKER: Annotators | None = None
_OVERRIDES: dict[str, str] = {}


def init_worker(annotators: Annotators, overrides: dict[str, str] | None = None) -> None:
    """Give a forked worker process the build's annotators and split overrides."""
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
    A piece of a long article (``piece``: its article's id and its index) is
    a chunk of no article until :meth:`Tasks.joined` has joined its rows.
    """

    articles: int
    problems: list[Problem] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    tables: dict[tuple[str, str], tuple[pa.Table, np.ndarray]] = field(default_factory=dict)
    piece: tuple[str, int] | None = None
    metadata: dict[str, Any] | None = None  # a long article's, from its first piece

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


Task = Sequence[ArticleFiles] | Piece
"""The unit of work of a build's worker: a run of articles, or a piece of a long one."""


def process_task(
    task: Task, annotators: Annotators | None = None, overrides: dict[str, str] | None = None
) -> Chunk:
    """:func:`process_chunk` of a run of articles, or :func:`process_piece`."""
    if isinstance(task, Piece):
        return process_piece(task, annotators)
    return process_chunk(task, annotators, overrides)


def process_chunk(
    chunk: Sequence[ArticleFiles],
    annotators: Annotators | None = None,
    overrides: dict[str, str] | None = None,
) -> Chunk:
    """``process`` over consecutive articles, their rows turned into one table per config and split.

    Once an article has problems nothing will be written, so the rest of the
    chunk is only checked. ``overrides`` maps ids to splits other than their
    own (by default, the worker's, from :func:`init_worker`).
    """
    overrides = _OVERRIDES if overrides is None else overrides
    out = Chunk(articles=len(chunk))
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
            _add(builders, record, split)
            # A megabyte article's record weighs hundreds of megabytes: let it go
            # before the tables are made, not when the chunk is done.
            del item, record
        if not out.problems:
            out.tables = _tables(builders)
        builders.clear()  # freed here, not scanned by the collector the threshold wakes
    return out


def process_piece(piece: Piece, annotators: Annotators | None = None) -> Chunk:
    """One piece of a long article annotated and turned into rows (see :mod:`warta.records`):
    the rows of the configs of a row per sentence, quote or line as they are
    released, and of the others one row of the piece's own, to be joined."""
    annotators = annotators or _WORKER
    assert annotators is not None
    out = Chunk(articles=0, piece=(piece.article_id, piece.index))
    builders: dict[tuple[str, str], Builder] = {}
    with fewer_collections():
        record = piece_record(piece, annotators)
        out.stats.add(record, piece.split, article=piece.index == 0)
        _add(builders, record, piece.split)
        del record
        out.tables = _tables(builders)
        if piece.metadata_from is not None:
            text = decode(read_file(piece.metadata_from))
            out.metadata = records.metadata(text, piece.metadata, None)
    return out


def _add(builders: dict[tuple[str, str], Builder], record: dict[str, Any], split: str) -> None:
    """Every config's rows of one record in turn: the views share their picture of
    the article's lines (see warta.views.content)."""
    for name, config in CONFIGS.items():
        if (name, split) not in builders:
            builders[(name, split)] = config.builder()
        builders[(name, split)].add(record)


def _tables(
    builders: dict[tuple[str, str], Builder],
) -> dict[tuple[str, str], tuple[pa.Table, np.ndarray]]:
    """The builders' rows as Arrow tables with their sizes; each builder is freed as
    soon as its table is made."""
    from warta.export.parquet import table_encoder, table_from_columns, table_row_sizes

    tables = {}
    for name, split in list(builders):
        builder = builders.pop((name, split))
        if len(builder):
            arrow_schema = table_encoder(CONFIGS[name].schema).schema
            table = table_from_columns(arrow_schema, builder.columns())
            tables[(name, split)] = (table, table_row_sizes(table))
        del builder
    return tables


@dataclass
class _Head:
    """What the build keeps of a long article while its pieces are away."""

    text: str
    starts: list[int]  # of its pieces
    split: str
    title_given: bool
    metadata: dict[str, Any] = field(default_factory=dict)  # from its first piece


class Tasks:
    """The build's tasks: runs of at most ``size`` articles, and each long article
    (``lengths``: characters, from the duplicate checks) cut into pieces
    (:func:`warta.annotate.pieces`) when its turn comes; and the pieces' rows
    joined back into the article's rows (:meth:`joined`) as they return.

    Only the long article being worked on is held here (its text); the rows
    of its pieces are written as they come but for the one row per article of
    ``articles`` and ``clean``, joined when the last piece is back.
    """

    def __init__(
        self,
        found: Sequence[ArticleFiles],
        lengths: Sequence[int],
        size: int,
        overrides: dict[str, str],
    ) -> None:
        self.found = found
        self.lengths = lengths
        self.size = size
        self.overrides = overrides
        self._heads: dict[str, _Head] = {}

    def __iter__(self) -> Iterator[Task]:
        """The tasks in corpus order, a long article read only when it is reached."""
        run: list[ArticleFiles] = []
        for files, length in zip(self.found, self.lengths, strict=True):
            if length <= annotate.PART:
                run.append(files)
                if len(run) == self.size:
                    yield run
                    run = []
                continue
            if run:
                yield run
                run = []
            yield from self._cut(files)
        if run:
            yield run

    def _cut(self, files: ArticleFiles) -> Iterator[Task]:
        """A long article's pieces, or the article alone when it has one piece or problems
        (which its worker reports)."""
        article, _problems = check_and_load(files)
        if article is None:
            yield [files]
            return
        doc = article.annotation or {}
        manual = list(doc.get(ANNOTATION.manual, []))
        text = article.text
        bounds = annotate.pieces(text, doc, manual)
        if len(bounds) == 1:
            yield [files]
            return
        given = doc.get("metadata", {})
        split = self.overrides.get(files.id) or splits.assign(given.get("story") or files.id)
        sha256 = article.sha256
        del article  # and its raw bytes
        starts = [a for a, _ in bounds]
        self._heads[files.id] = _Head(text, starts, split, "title" in given)
        line = 0
        for index, (a, b) in enumerate(bounds):
            line += text.count("\n", starts[index - 1] if index else 0, a)
            yield Piece(
                article_id=files.id,
                index=index,
                split=split,
                text=text[a:b],
                offset=a,
                line=line,
                given=annotate.piece_given(doc, manual, a, b),
                manual=manual,
                metadata=given,
                text_sha256=sha256,
                metadata_from=files.txt_file if index == 0 else None,
                outlet=outlet_of(text),
            )

    def joined(self, chunks: Iterable[Chunk]) -> Iterator[Chunk]:
        """The processed tasks, in order, each long article's rows of ``articles`` and
        ``clean`` joined into one row with its last piece (which counts the article)."""
        from warta.export.parquet import table_row_sizes

        rows: dict[str, list[pa.Table]] = {}
        for chunk in chunks:
            if chunk.piece is None:
                yield chunk
                continue
            aid, index = chunk.piece
            head = self._heads[aid]
            if chunk.metadata is not None:
                head.metadata = chunk.metadata
            for name, config in CONFIGS.items():
                if config.joined_with is not None and (name, head.split) in chunk.tables:
                    rows.setdefault(name, []).append(chunk.tables.pop((name, head.split))[0])
            if index + 1 == len(head.starts):
                del self._heads[aid]
                if not head.title_given:
                    head.metadata["title"] = _title(head, rows["articles"])
                fields = records.described(aid, head.metadata)
                for name in list(rows):  # each config's pieces let go once joined
                    table = join(name, rows.pop(name), fields)
                    chunk.tables[(name, head.split)] = (table, table_row_sizes(table))
                chunk.articles = 1
            yield chunk


def _title(head: _Head, pieces: Sequence[pa.Table]) -> str | None:
    """A long article's title, from its text and its pieces' boilerplate."""
    boilerplate = []
    for start, piece in zip(head.starts, pieces, strict=True):
        spans = piece.column(LAYER.boilerplate).combine_chunks().flatten()
        ends = spans.field("end").to_pylist()
        boilerplate += [
            {"start": s + start, "end": e + start}
            for s, e in zip(spans.field("start").to_pylist(), ends, strict=True)
        ]
    return records.title_from_text(head.text, boilerplate)


def load_annotators(plan: duplicates.Plan, auto: bool = True) -> Annotators:
    """The build's annotators, with the entity model shipped in the package and the
    furniture evidence of the corpus being built (``plan.evidence``).

    The build never trains (``python build.py train`` does); the shipped model
    is loaded only if some article's entity layer is automatic (as the
    duplicate checks' pass over the files found, ``plan``).
    """
    if not auto:
        return Annotators.disabled()
    if not plan.tagger_needed:
        return Annotators(tagger=Annotators.disabled().tagger, evidence=plan.evidence)
    return Annotators(evidence=plan.evidence)


def check_corpus(
    corpus: Sequence[str | Path], jobs: int = 1, say: Callable[[str], None] = lambda _msg: None
) -> list[ArticleFiles]:
    """Check the corpus's structure and list its articles.

    Each article is checked later, where it is processed; a corpus whose
    structure is broken is validated in full here so every problem is reported.
    """
    say("checking the corpus")
    found_all, problems = check_structure(list(corpus))
    if any(p.severity == "error" for p in problems):
        raise BuildError(validate(list(corpus), jobs=jobs).errors)
    for warning in problems:
        say(f"warning: {warning}")
    return [f for f in found_all if f.txt_file is not None]


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


def write_dataset(
    found: Sequence[ArticleFiles],
    folder: Path,
    annotators: Annotators,
    executor: Executor,
    plan: duplicates.Plan,
    show_progress: bool = False,
    shard_rows: int | None = None,
) -> tuple[Stats, list[card.ConfigInfo]]:
    """Stream every config of every article into Parquet shards under ``folder``.

    The articles are processed by ``executor`` (in corpus order), which applies
    the splits of ``plan`` (:func:`plan_splits`).
    """
    stats = Stats(near_duplicate_groups=plan.groups, near_duplicate_articles=plan.grouped)
    writers: dict[tuple[str, str], SplitWriter] = {}
    features = {name: schema.features(config.schema) for name, config in CONFIGS.items()}
    extra = {"shard_rows": shard_rows} if shard_rows else {}
    problems: list[Problem] = []
    with progress(len(found), show_progress, "building") as bar:
        tasks = Tasks(found, plan.lengths, executor.run_size(len(found)), plan.overrides)
        for chunk in tasks.joined(executor.chunks(tasks, annotators, plan.overrides)):
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


@dataclass
class Built:
    """A dataset written into a staging folder, before it is swapped in."""

    folder: Path
    found: list[ArticleFiles]
    plan: duplicates.Plan
    stats: Stats
    configs: list[card.ConfigInfo]


@contextmanager
def building(
    corpus: Sequence[str | Path],
    target: Path,
    made_by: str,
    executor: Executor,
    auto: bool = True,
    releases: str | Path | duplicates.Released | None = None,
    say: Callable[[str], None] = lambda _msg: None,
    show_progress: bool = False,
) -> Iterator[Built]:
    """The build, whatever runs it and whatever it is for (``build``, ``release``).

    Checks the corpus, looks for duplicates and plans the splits (articles of
    the release records in ``releases`` keep theirs), learns the annotators
    (the tagger only if the duplicate pass found an entity layer left to it),
    then writes every config
    into a staging folder for ``target`` (claimed by the caller) with
    ``executor``, and yields it: what the caller adds there (the card, release
    files) is swapped in with it when the block ends, and nothing is if it
    raises.
    """
    with fewer_collections(), executor:
        found = check_corpus(corpus, executor.jobs, say)
        if executor.preload is not None:
            executor.preload()  # before the duplicate checks fork their workers
        plan = plan_splits(found, executor.jobs, releases, say)
        say("loading the entity model")
        annotators = load_annotators(plan, auto)
        with staging(target, made_by) as folder:
            say(executor.describe())
            stats, configs = write_dataset(found, folder, annotators, executor, plan, show_progress)
            yield Built(folder, found, plan, stats, configs)


def build(
    corpus: Sequence[str | Path],
    out: str | Path,
    jobs: int | None = None,
    show_progress: bool = False,
    auto: bool = True,
    on_stage: Callable[[str], None] | None = None,
    releases: str | Path | None = None,
    executor: Executor | None = None,
) -> BuildResult:
    """Validate the corpus, then write the dataset folder ``out`` atomically.

    ``out`` must be new, empty, or an earlier build's output, and apart from
    the corpus and any checkout; otherwise :class:`warta.outputs.OutputRefused`
    is raised before any work. The articles are processed by ``executor``
    (default: ``jobs`` local processes; see :mod:`warta.executors`). Articles
    of the release records in ``releases`` keep the splits they were released
    in (see :mod:`warta.splits`).
    """
    target = claim_folder(out, "build", corpus)
    say = on_stage or (lambda _msg: None)
    executor = executor or Local(jobs)
    try:
        with building(
            corpus, target, "build", executor, auto, releases, say, show_progress
        ) as built:
            card.write_card(built.folder, built.stats, built.configs, __version__)
    except BuildError as exc:
        exc.unchanged = out  # the previous output is left as it was
        raise
    return BuildResult(
        out=Path(out), stats=built.stats, configs=built.configs, warnings=built.plan.problems
    )

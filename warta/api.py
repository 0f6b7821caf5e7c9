"""The Python API: :func:`validate`, :func:`build` and :func:`draft`, re-exported by ``warta``.

Each is the one path its job takes: ``python build.py validate``, ``build`` and
``draft`` call these functions and only print what they return. Each returns a
frozen result. Bad input and refused targets raise the project's errors
(:class:`warta.errors.WartaError` and its kinds: a :class:`~warta.errors.BuildError`
holding every problem of the corpus, :class:`~warta.errors.OutputRefused`,
:class:`~warta.errors.FileError`), whose message names the file and the fix;
nothing here prints or exits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta.errors import FileError

if TYPE_CHECKING:
    from warta.annotate import Annotators
    from warta.executors import Executor
    from warta.problems import Problem

Paths = str | Path | Sequence[str | Path]
"""One file or folder, or several."""


def _paths(paths: Paths) -> list[str | Path]:
    return [paths] if isinstance(paths, str | Path) else list(paths)


@dataclass(frozen=True)
class Validation:
    """What :func:`validate` found, and what ``fix`` repaired."""

    problems: tuple[Problem, ...]
    """Every problem, errors and warnings, in report order (file, then place)."""
    articles: int
    """How many articles were checked."""
    fixed: tuple[str, ...] = ()
    """The annotation files ``fix`` rewrote."""
    changes: tuple[str, ...] = ()
    """What ``fix`` changed, one ``path: where: what`` line each."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that stop a contribution."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems worth a look that stop nothing (near-duplicates, say)."""
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when no error stops the contribution (warnings do not)."""
        return not self.errors


def validate(
    paths: Paths = "corpus",
    *,
    fix: bool = False,
    jobs: int | None = None,
    releases: str | Path | None = None,
) -> Validation:
    """Check articles and annotation files (files or folders): every problem in one run.

    A problem is data, not an exception: look at ``.ok`` and ``.problems``.
    ``fix`` rewrites drifted offsets and canonical formatting in place.
    ``jobs`` worker processes (default: all cores). ``releases`` is a folder of
    release records; near-duplicates are judged with the splits they record.
    """
    from warta.validation import validate as check

    report = check(_paths(paths), fix=fix, jobs=jobs or os.cpu_count() or 1, releases=releases)
    return Validation(
        problems=tuple(report.problems),
        articles=report.articles,
        fixed=tuple(report.fixed),
        changes=tuple(map(str, report.changes)),
    )


@dataclass(frozen=True)
class Build:
    """What :func:`build` wrote."""

    out: Path
    """The dataset folder: load it with ``datasets.load_dataset(str(out), config)``."""
    rows: dict[str, dict[str, int]]
    """Rows per config and split (``rows["ner"]["train"]``); a split with no rows is absent."""
    articles: int
    """How many articles were built."""
    warnings: tuple[Problem, ...] = ()
    """Problems that did not stop the build (near-duplicates)."""


def build(
    corpus: Paths = "corpus",
    out: str | Path = "dist",
    *,
    jobs: int | None = None,
    auto: bool = True,
    releases: str | Path | None = None,
    executor: Executor | None = None,
    progress: bool = False,
    on_stage: Callable[[str], None] | None = None,
) -> Build:
    """Validate the corpus folders, annotate what is not manual, write the dataset to ``out``.

    ``out`` must be new, empty or an earlier build's; anything else raises
    :class:`~warta.errors.OutputRefused` before any work. A corpus with problems
    raises :class:`~warta.errors.BuildError` (its ``problems``, all of them) and
    leaves ``out`` as it was. ``auto=False`` releases unannotated layers empty;
    articles in the release records of ``releases`` keep their splits. The work
    runs in ``jobs`` processes (default: all cores) or on ``executor``
    (:mod:`warta.executors`, e.g. Dask); ``on_stage`` hears each stage's name.
    """
    from warta import pipeline

    result = pipeline.build(
        _paths(corpus),
        out,
        jobs=jobs,
        show_progress=progress,
        auto=auto,
        on_stage=on_stage,
        releases=releases,
        executor=executor,
    )
    return Build(
        out=Path(result.out),
        rows={config.name: dict(config.rows) for config in result.configs},
        articles=sum(result.stats.articles.values()),
        warnings=tuple(result.warnings),
    )


@dataclass(frozen=True)
class Draft:
    """A starter annotation file: the automatic layers, for a person to correct."""

    annotation: dict[str, Any]
    """The annotation file's content (valid against ``schema/annotation.schema.json``),
    ``"manual": []``: a person corrects a layer and lists it there."""
    path: Path | None = None
    """Where it was written, or None when ``out`` was not given."""


def _evidence(corpus: list[str | Path], article: Path) -> frozenset[int]:
    """The furniture evidence of ``corpus`` with ``article`` among its articles, found by
    the build's own pre-pass."""
    from warta.corpus import ArticleFiles, discover
    from warta.duplicates import plan

    for folder in corpus:
        if not Path(folder).is_dir():
            raise FileError(Path(folder), "folder", "no such folder; give a folder of articles")
    found = [f for f in discover(corpus) if f.txt_file is not None]
    if not any(Path(str(f.txt_file)).resolve() == article.resolve() for f in found):
        found.append(ArticleFiles(article.stem, str(article), None))
    return plan(found).evidence


def draft(
    article: str | Path,
    out: str | Path | None = None,
    *,
    force: bool = False,
    annotators: Annotators | None = None,
    corpus: Sequence[str | Path] = (),
) -> Draft:
    """The draft annotation file of a raw article ``<id>.txt``; written to ``out`` if given.

    With ``corpus`` (folders), lines the article shares with enough other articles
    of its outlet there are furniture evidence, as in a build of those folders
    with the article (:mod:`warta.furniture.evidence`).

    ``out`` is named ``<id>.json`` (beside the article, or in another folder).
    A draft replaces only another draft, and only with ``force``; a file
    listing manual layers, or one that is no annotation file, is never
    overwritten (:class:`~warta.errors.OutputRefused`). A missing or
    undecodable article, or a draft already there without ``force``, raises
    :class:`~warta.errors.FileError`. Pass ``annotators`` to draft many
    articles with one loaded model.
    """
    from warta import drafting
    from warta.annotate import Annotators
    from warta.text import TextError

    article = Path(article)
    if article.suffix != ".txt" or not article.is_file():
        raise FileError(article, "file", "no such article; give the path of a raw <id>.txt")
    target = None if out is None else Path(out)
    if target is not None:
        drafting.check_name(article, target)
        # A person's work is refused whatever ``force`` says; a draft needs ``force``.
        if drafting.claim_target(target, replace=True).exists() and not force:
            raise FileError(
                target,
                "file",
                "already exists; pass --force (force=True) to overwrite it or --out to write "
                "elsewhere",
            )
    if annotators is None:
        annotators = Annotators(evidence=_evidence([*corpus], article) if corpus else frozenset())
    try:
        if target is None:
            return Draft(drafting.draft(article, annotators))
        doc = drafting.write_draft(article, target, annotators, replace=force)
    except TextError as exc:
        raise FileError(article, exc.where, exc.what) from None
    return Draft(doc, target)

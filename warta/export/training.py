"""The records the training exports (spaCy, CoNLL) are made from: the build's, per split.

Training data must agree with the release: the same layers (manual where a
person checked them, the automatic annotators' elsewhere, or empty with
``auto=False``) and the same split of every article, near-duplicates and
released articles included (:func:`warta.pipeline.plan_splits`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from warta.export.common import ConversionError
from warta.splits import SPLITS


def split_records(
    paths: Sequence[str | Path], auto: bool = True, releases: str | Path | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Every article's ``articles`` record under ``paths``, by split, in corpus order.

    ``releases`` is the folder of release records (default ``releases`` when
    it exists), whose articles keep the split they were released in.
    """
    from warta.pipeline import BuildError, check_corpus, load_annotators, plan_splits, process

    if releases is None and Path("releases").is_dir():
        releases = "releases"
    try:
        found = check_corpus(list(paths))
        plan = plan_splits(found, releases=releases)
        annotators = load_annotators(plan, auto)
    except BuildError as exc:
        raise ConversionError([str(p) for p in exc.problems]) from None
    out: dict[str, list[dict[str, Any]]] = {split: [] for split in SPLITS}
    problems = []
    for files in found:
        item = process(files, annotators, plan.overrides.get(files.id))
        if "problems" in item:
            problems += [str(p) for p in item["problems"]]
        else:
            out[item["split"]].append(item["record"])
    if problems:
        raise ConversionError(problems)
    return out

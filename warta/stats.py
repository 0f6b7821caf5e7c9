"""Counting what a build released, for the dataset card and the changelog.

Counts are accumulated record by record, so they cost no memory per article.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from warta import schema, splits
from warta.schema import QUOTE, STATUS

# Status columns of the card, the work of people first: manual, auto, none.
_BY_PERSON_FIRST = schema.STATUSES[::-1]


@dataclass
class Stats:
    """Counts per split, per layer status and per label."""

    articles: Counter[str] = field(default_factory=Counter)
    status: Counter[tuple[str, str]] = field(default_factory=Counter)
    labels: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    characters: int = 0
    # Set by the build from its duplicate checks (warta.duplicates), not per record.
    near_duplicate_groups: int = 0
    near_duplicate_articles: int = 0

    def add(self, record: dict[str, Any], split: str, article: bool = True) -> None:
        """Count one ``articles`` record; a piece of a long article's record
        (:mod:`warta.records`) counts the article and its layers' statuses only
        with ``article`` (its first piece)."""
        self.characters += len(record["text"])
        if article:
            self.articles[split] += 1
        for layer in schema.LAYERS:
            state = record["status"][layer]
            if article:
                self.status[(layer, state)] += 1
            for item in record[layer]:
                label = item["label"] if layer in schema.SPAN_LAYERS else item[QUOTE.kind]
                self.labels[(layer, state, label)] += 1

    def merge(self, other: Stats) -> None:
        """Add another accumulator's counts (from a parallel worker)."""
        self.articles.update(other.articles)
        self.status.update(other.status)
        self.labels.update(other.labels)
        self.characters += other.characters

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts, for tests and the changelog."""
        near = {}
        if self.near_duplicate_groups:
            near = {
                "near_duplicates": {
                    "groups": self.near_duplicate_groups,
                    "articles": self.near_duplicate_articles,
                }
            }
        return {
            **near,
            "articles": dict(sorted(self.articles.items())),
            "characters": self.characters,
            "status": {f"{layer}/{state}": n for (layer, state), n in sorted(self.status.items())},
            "labels": {
                f"{layer}/{state}/{label}": n
                for (layer, state, label), n in sorted(self.labels.items())
            },
        }

    def markdown(self) -> str:
        """The statistics section of the card."""
        total = sum(self.articles.values())
        lines = ["| split | articles |", "|---|---:|"]
        for split in splits.SPLITS:
            if self.articles[split]:
                lines.append(f"| {split} | {self.articles[split]} |")
        lines.append(f"| **all** | {total} |")
        if self.near_duplicate_groups:
            lines += [
                "",
                f"Near-duplicate groups: {self.near_duplicate_groups} "
                f"({self.near_duplicate_articles} articles), each group in one split.",
            ]
        head = f"| layer | {' | '.join(_BY_PERSON_FIRST)} |"
        lines += ["", head, "|---|" + "---:|" * len(_BY_PERSON_FIRST)]
        for layer in schema.LAYERS:
            counts = [self.status[(layer, s)] for s in _BY_PERSON_FIRST]
            lines.append(f"| {layer} | " + " | ".join(str(c) for c in counts) + " |")
        lines += ["", f"| layer | label | {STATUS.manual} | {STATUS.auto} |", "|---|---|---:|---:|"]
        label_sets = {**{layer: schema.labels(name) for layer, name in schema.LAYER_LABELS.items()}}
        for layer, names in label_sets.items():
            for name in names:
                manual = self.labels[(layer, STATUS.manual, name)]
                auto = self.labels[(layer, STATUS.auto, name)]
                lines.append(f"| {layer} | `{name}` | {manual} | {auto} |")
        lines.append("")
        lines.append(f"Characters of raw text: {self.characters:,}.")
        return "\n".join(lines)

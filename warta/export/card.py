"""The release's ``README.md``: YAML metadata the Hub reads, then the card's prose.

The prose is ``dataset_card.md``, written by people; placeholders in it
(``{{statistics}}``, ``{{splits}}``, ``{{version}}``, ``{{changes}}``) are filled from
the build. The YAML (configs, features, splits, licence, languages, tasks) is
generated with the Hub's own card classes, so it has the form the Hub and
``datasets`` expect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import datasets
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData

from warta import splits as split_rule


@dataclass
class ConfigInfo:
    """What the card needs to know about one written config."""

    name: str
    features: datasets.Features
    rows: dict[str, int]
    bytes: dict[str, int]
    files: dict[str, list[str]]
    default: bool = False


def size_category(n: int) -> str:
    """The Hub's size bucket for a number of rows."""
    bounds = [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
    ]
    for upper, name in bounds:
        if n < upper:
            return name
    return "10M<n<100M"


def card_data(configs: list[ConfigInfo], articles: int, annotators: set[str]) -> DatasetCardData:
    """The YAML metadata block of the release."""
    data = DatasetCardData(
        pretty_name="Warta: annotated Indonesian news",
        language=["id"],
        license="other",
        license_name="warta-annotations-cc-by-4.0",
        license_link="LICENSE.md",
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition"],
        size_categories=[size_category(articles)],
        annotations_creators=sorted(annotators) or ["no-annotation"],
        language_creators=["found"],
        multilinguality=["monolingual"],
        source_datasets=["original"],
        tags=["news", "quotation-attribution", "boilerplate-removal", "indonesian"],
    )
    infos = {}
    metadata_configs = {}
    for config in configs:
        split_dict = datasets.SplitDict()
        for split in split_rule.SPLITS:
            if config.rows.get(split):
                split_dict.add(
                    datasets.SplitInfo(
                        name=split,
                        num_examples=config.rows[split],
                        num_bytes=config.bytes[split],
                    )
                )
        infos[config.name] = datasets.DatasetInfo(
            features=config.features,
            config_name=config.name,
            splits=split_dict,
            dataset_size=sum(config.bytes.values()),
        )
        entry: dict[str, object] = {
            "data_files": [
                {"split": split, "path": f"{config.name}/{split}-*.parquet"}
                for split in split_rule.SPLITS
                if config.rows.get(split)
            ]
        }
        if config.default:
            entry["default"] = True
        metadata_configs[config.name] = entry
    DatasetInfosDict(infos).to_dataset_card_data(data)
    MetadataConfigs(metadata_configs).to_dataset_card_data(data)
    return data


def render(
    template: str,
    data: DatasetCardData,
    values: Mapping[str, str],
) -> str:
    """The full README: YAML front matter, then the prose with its placeholders filled."""
    body = template
    for key, value in values.items():
        body = body.replace("{{" + key + "}}", value)
    return f"---\n{data.to_yaml()}\n---\n\n{body.strip()}\n"


def template_path(root: Path) -> Path:
    """The card's prose: at the repository root, or inside an installed wheel."""
    for candidate in (root / "dataset_card.md", Path(__file__).parent.parent / "dataset_card.md"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("dataset_card.md not found")


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def entity_cv_markdown(doc: dict) -> str:
    """Leave-one-outlet-out entity scores per label (``bench/ner_cv.py --json`` output):
    pooled over every development article, and over those no rule was fitted to."""
    parts = [
        ("entities", f"all {doc.get('articles', '?')} development articles"),
        ("entities_unseen_101_up", "only the articles added after the rules were written"),
    ]
    lines = ["| measure | articles | P | R | F1 |", "|---|---|---:|---:|---:|"]
    for key, what in parts:
        scores = doc.get(key)
        if not scores:
            continue
        rows = [("exact span and label", scores["exact"]), ("span only", scores["span"])]
        rows += [(f"exact, {k}", v) for k, v in sorted(scores.get("per_label", {}).items())]
        for name, prf in rows:
            lines.append(
                f"| {name} | {what} | {_f(prf['precision'])} | {_f(prf['recall'])} | "
                f"{_f(prf['f1'])} |"
            )
    return "\n".join(lines)


def scores_markdown(doc: dict) -> str:
    """A per-layer table of agreement scores (``agreement`` or ``eval`` JSON output)."""
    lines = ["| layer | measure | P | R | F1 |", "|---|---|---:|---:|---:|"]
    rows = [
        ("boilerplate", "characters, unlabelled", ("boilerplate", "unlabelled")),
        ("boilerplate", "characters, labelled", ("boilerplate", "labelled")),
        ("entities", "exact span and label", ("entities", "exact")),
        ("entities", "span only", ("entities", "span")),
        ("quotes", "content exact", ("quotes", "exact")),
        ("quotes", "content overlap", ("quotes", "overlap")),
        ("quotes", "direct, content exact", ("quotes", "direct")),
        ("quotes", "indirect, content exact", ("quotes", "indirect")),
    ]
    for layer, label, (key, sub) in rows:
        prf = doc.get(key, {}).get(sub)
        if prf:
            lines.append(
                f"| {layer} | {label} | {_f(prf['precision'])} | {_f(prf['recall'])} | "
                f"{_f(prf['f1'])} |"
            )
    quotes = doc.get("quotes", {})
    accuracies = [
        f"{name} {_f(quotes[name]['accuracy'])} (n={quotes[name]['n']})"
        for name in ("kind", "cue", "speaker", "speaker_name")
        if isinstance(quotes.get(name), dict)
    ]
    if accuracies:
        lines.append("")
        lines.append("On matched quotes, accuracy of " + "; ".join(accuracies) + ".")
    return "\n".join(lines)

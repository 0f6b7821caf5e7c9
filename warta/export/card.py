"""The release's ``README.md``: YAML metadata the Hub reads, then the card's prose.

The prose is ``dataset_card.md``, written by people; placeholders in it
(``{{statistics}}``, ``{{splits}}``, ``{{version}}``, ``{{changes}}``) are filled from
the build. The YAML (configs, features, splits, licence, languages, tasks) is
generated with the Hub's own card classes, so it has the form the Hub and
``datasets`` expect.
"""

from __future__ import annotations

import importlib.metadata
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import datasets
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData

from warta import schema
from warta import splits as split_rule
from warta.agreement import ATTRIBUTES
from warta.schema import LAYER, QUOTE_KIND, QUOTES, STATUS

if TYPE_CHECKING:
    from warta.stats import Stats

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE = (
    "The article texts belong to their publishers and are included, unchanged, for "
    "research on news text; they are not relicensed. The annotations, metadata and "
    "derived views are released under the Creative Commons Attribution 4.0 "
    f"International licence (CC BY 4.0, {LICENCE_URL}); the code under Apache-2.0."
)
"""The licence in one sentence: the card's Licence section and Croissant's ``license``."""


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


def shipped(relative: str) -> Path:
    """A file the card is made from, in the checkout or, installed from a wheel, in the package.

    ``pyproject.toml`` force-includes each of them into the wheel under ``warta/``,
    so an installed package writes the same card as the checkout.
    """
    package = Path(__file__).resolve().parents[1]
    for candidate in (package.parent / relative, package / relative):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{relative} is in neither the checkout nor the installed package")


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def entity_cv_markdown(doc: dict) -> str:
    """Leave-one-outlet-out entity scores per label (``bench/ner_cv.py --json`` output):
    pooled over every development article, and over those no rule was fitted to."""
    parts = [
        (LAYER.entities, f"all {doc.get('articles', '?')} development articles"),
        (f"{LAYER.entities}_unseen_101_up", "only the articles added after the rules were written"),
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
        (LAYER.boilerplate, "characters, unlabelled", "unlabelled"),
        (LAYER.boilerplate, "characters, labelled", "labelled"),
        (LAYER.entities, "exact span and label", "exact"),
        (LAYER.entities, "span only", "span"),
        (QUOTES, "content exact", "exact"),
        (QUOTES, "content overlap", "overlap"),
        *((QUOTES, f"{kind}, content exact", kind) for kind in QUOTE_KIND),
    ]
    for layer, label, sub in rows:
        prf = doc.get(layer, {}).get(sub)
        if prf:
            lines.append(
                f"| {layer} | {label} | {_f(prf['precision'])} | {_f(prf['recall'])} | "
                f"{_f(prf['f1'])} |"
            )
    quotes = doc.get(QUOTES, {})
    accuracies = [
        f"{name} {_f(quotes[name]['accuracy'])} (n={quotes[name]['n']})"
        for name in ATTRIBUTES
        if isinstance(quotes.get(name), dict)
    ]
    if accuracies:
        lines.append("")
        lines.append("On matched quotes, accuracy of " + "; ".join(accuracies) + ".")
    return "\n".join(lines)


def project_url(label: str) -> str:
    """An address of ``[project.urls]`` in ``pyproject.toml`` (``Dataset``, ``Repository``).

    Read from the installed package's metadata, so a fork that publishes elsewhere
    changes one line and the card and ``croissant.json`` follow.
    """
    for entry in importlib.metadata.metadata("warta").get_all("Project-URL") or []:
        name, _, address = entry.partition(",")
        if name.strip().lower() == label.lower():
            return address.strip()
    raise LookupError(f"pyproject.toml names no [project.urls] {label}; reinstall the package")


def _type(feature: object) -> str:
    """A feature's type in a few words, as the card's field tables show it."""
    if isinstance(feature, datasets.ClassLabel):
        return "ClassLabel: " + ", ".join(feature.names)
    if isinstance(feature, (datasets.List, datasets.LargeList, datasets.Sequence)):
        inner = feature.feature
        return "list of " + ("records" if isinstance(inner, dict) else _type(inner))
    if isinstance(feature, dict):
        return "record: " + ", ".join(feature)
    return str(getattr(feature, "dtype", feature))


def _description(node: dict, base: str) -> str:
    """A property's description, or the one of the definition it refers to."""
    while "description" not in node and "$ref" in node:
        resolved = schema.registry().resolver(base_uri=base).lookup(node["$ref"])
        node, base = resolved.contents, resolved.resolver._base_uri
    return node.get("description", "")


def fields_markdown() -> str:
    """A table per config of every field: its type and what it holds, read from ``schema/``."""
    from warta.views import CONFIGS

    parts = []
    for name, config in CONFIGS.items():
        doc = schema.document(config.schema)
        features = schema.features(config.schema)
        lines = [f"**`{name}`**: {doc['description']}", "", "| field | type | what it holds |"]
        lines.append("|---|---|---|")
        for key, node in doc["properties"].items():
            text = _description(node, doc["$id"]).replace("|", "\\|").replace("<", "&lt;")
            kind = _type(features[key]).replace("|", "\\|")
            lines.append(f"| `{key}` | {kind} | {text} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def citation(version: str, url: str) -> str:
    """The BibTeX entry for this version of the dataset."""
    key = "warta_" + version.replace(".", "_")
    return "\n".join(
        [
            "```bibtex",
            f"@misc{{{key},",
            "  title        = {Warta: an annotated corpus of Indonesian news},",
            "  author       = {{Warta contributors}},",
            f"  version      = {{{version}}},",
            f"  howpublished = {{\\url{{{url}}}}},",
            "  note         = {Boilerplate, named entities and quotes (speaker, cue, content)}",
            "}",
            "```",
        ]
    )


def card_values(stats: Stats, version: str, changes: str = "") -> dict[str, str]:
    """The placeholders of ``dataset_card.md``."""
    empty = [s for s in split_rule.SPLITS if not stats.articles[s]]
    split_text = f"Rule: `{split_rule.RULE}`."
    if stats.near_duplicate_groups:
        split_text += " " + split_rule.GROUP_RULE
    if empty:
        split_text += " Empty splits are left out of this release: " + ", ".join(empty) + "."
    scores = {
        key: scores_markdown(json.loads(shipped(path).read_text(encoding="utf-8")))
        for key, path in (
            ("agreement", "docs/agreement/seeds-pass-a-vs-b.json"),
            ("evaluation", "docs/evaluation/seeds.json"),
            ("evaluation_unseen", "docs/evaluation/seeds-before-revision.json"),
            ("evaluation_dev", "docs/evaluation/realworld-dev.json"),
        )
    }
    cv = json.loads(shipped("docs/evaluation/ner-cv.json").read_text(encoding="utf-8"))
    scores["evaluation_entities_cv"] = entity_cv_markdown(cv)
    return {
        **scores,
        "version": version,
        "statistics": stats.markdown(),
        "splits": split_text,
        "changes": changes or "First release.",
        "licence": LICENCE,
        "fields": fields_markdown(),
        "citation": citation(version, project_url("Dataset")),
        "repository": project_url("Repository"),
    }


def write_card(
    folder: Path, stats: Stats, configs: list[ConfigInfo], version: str, changes: str = ""
) -> Path:
    """Write ``README.md`` from ``dataset_card.md`` and the build's numbers."""
    creators = set()
    for layer in schema.LAYERS:
        if stats.status[(layer, STATUS.manual)]:
            creators.add("expert-generated")
        if stats.status[(layer, STATUS.auto)]:
            creators.add("machine-generated")
    data = card_data(configs, sum(stats.articles.values()), creators)
    template = shipped("dataset_card.md").read_text(encoding="utf-8")
    text = render(template, data, card_values(stats, version, changes))
    path = folder / "README.md"
    path.write_text(text, encoding="utf-8")
    (folder / "LICENSE.md").write_bytes(shipped("LICENSE.md").read_bytes())
    return path

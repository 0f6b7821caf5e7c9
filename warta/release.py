"""Versioned, immutable releases.

``python build.py release`` writes ``releases/<version>/``: every config as
``<config>/<split>-NNNNN-of-NNNNN.parquet``, ``README.md``, ``croissant.json``
and ``SHA256SUMS``. The version is ``warta.__version__`` (one place). The
repository keeps ``releases/<version>.json``: the checksums of every file, the
manifest of articles, the counts and the date. Releasing a recorded version
again must reproduce every byte; a different result is refused, and the
previous release folder is left as it was.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warta import __version__, duplicates, schema
from warta.corpus import ArticleFiles
from warta.export import croissant
from warta.pipeline import plan_splits, prepare, staging, write_card, write_dataset
from warta.stats import Stats
from warta.text import sha256_file

SUMS = "SHA256SUMS"
SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
LISTED = 20


class ReleaseRefused(Exception):
    """A recorded version would not be reproduced byte for byte."""


@dataclass
class ReleaseResult:
    """What a release wrote."""

    version: str
    folder: Path
    record: Path
    reproduced: bool
    stats: Stats


def version_key(version: str) -> tuple[int, int, int]:
    """Sort key of a MAJOR.MINOR.PATCH version."""
    match = SEMVER.match(version)
    if not match:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH")
    return int(match[1]), int(match[2]), int(match[3])


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file of a release folder, by relative path."""
    return {
        p.relative_to(folder).as_posix(): sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != SUMS
    }


def manifest(
    found: list[ArticleFiles], plan: duplicates.Plan | None = None
) -> dict[str, dict[str, Any]]:
    """What each article was made of (its raw text and annotation file hashes), and its split.

    The split (given a ``plan``) is what later releases keep the article in.
    """
    out = {}
    for files in found:
        assert files.txt_file is not None
        entry: dict[str, Any] = {"text_sha256": sha256_file(files.txt)}
        entry["annotation_sha256"] = sha256_file(files.json) if files.json else None
        if plan is not None:
            entry["split"] = plan.split(files.id)
        out[files.id] = entry
    return dict(sorted(out.items()))


def records(root: Path) -> dict[str, dict[str, Any]]:
    """Every recorded release, by version."""
    found = {}
    for path in root.glob("*.json"):
        if SEMVER.match(path.stem):
            found[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    return dict(sorted(found.items(), key=lambda kv: version_key(kv[0])))


def _listing(ids: list[str]) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:LISTED])
    more = f" and {len(ids) - LISTED} more" if len(ids) > LISTED else ""
    return shown + more


def _made_of(entry: dict[str, Any]) -> tuple[Any, Any]:
    """The file hashes of a manifest entry (records before 0.1.3 have no split)."""
    return entry.get("text_sha256"), entry.get("annotation_sha256")


def changes(previous: dict[str, Any] | None, current: dict[str, Any], stats: Stats) -> str:
    """Markdown: what changed since the previous release."""
    lines = []
    if previous is None:
        lines.append(f"First release: {len(current)} articles.")
    else:
        before = previous["manifest"]
        added = sorted(set(current) - set(before))
        removed = sorted(set(before) - set(current))
        changed = sorted(
            i for i in set(current) & set(before) if _made_of(current[i]) != _made_of(before[i])
        )
        lines.append(f"Since {previous['version']}:")
        lines.append(f"- articles added: {len(added)}" + (f" ({_listing(added)})" if added else ""))
        lines.append(
            f"- articles removed: {len(removed)}" + (f" ({_listing(removed)})" if removed else "")
        )
        lines.append(
            f"- articles changed (text or annotations): {len(changed)}"
            + (f" ({_listing(changed)})" if changed else "")
        )
    counts = stats.to_dict()
    lines.append("")
    lines.append("| layer | manual articles | auto articles | spans or quotes |")
    lines.append("|---|---:|---:|---:|")
    for layer in schema.LAYERS:
        manual = counts["status"].get(f"{layer}/manual", 0)
        auto = counts["status"].get(f"{layer}/auto", 0)
        total = sum(n for key, n in counts["labels"].items() if key.startswith(f"{layer}/"))
        lines.append(f"| {layer} | {manual} | {auto} | {total} |")
    if previous is not None:
        old = previous.get("stats", {}).get("labels", {})
        deltas = []
        for layer in schema.LAYERS:
            now = sum(n for k, n in counts["labels"].items() if k.startswith(f"{layer}/"))
            then = sum(n for k, n in old.items() if k.startswith(f"{layer}/"))
            deltas.append(f"{layer} {now - then:+d}")
        lines.append("")
        lines.append("Change in annotations per layer: " + ", ".join(deltas) + ".")
    return "\n".join(lines)


def _tools() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("pyarrow", "datasets", "mlcroissant")}


def write_changelog(path: Path, recorded: dict[str, dict[str, Any]]) -> None:
    """CHANGELOG.md, regenerated from the release records (newest first)."""
    parts = [
        "# Changelog\n",
        "Data releases of Warta, newest first. Generated by `build.py release`.\n",
    ]
    for version, record in reversed(list(recorded.items())):
        parts.append(f"## {version} ({record['date']})\n")
        parts.append(record["changes"].strip() + "\n")
    path.write_text("\n".join(parts), encoding="utf-8")


def release(
    corpus: list[str | Path],
    root: Path,
    changelog: Path | None = None,
    version: str = __version__,
    jobs: int | None = None,
    show_progress: bool = False,
) -> ReleaseResult:
    """Build release ``version`` into ``root/<version>/`` and record or verify it."""
    version_key(version)
    jobs = jobs or os.cpu_count() or 1
    found, annotators = prepare(corpus, jobs)
    recorded = records(root)
    existing = recorded.get(version)
    earlier = [v for v in recorded if version_key(v) < version_key(version)]
    later = [v for v in recorded if version_key(v) > version_key(version)]
    if later and existing is None:
        raise ReleaseRefused(
            f"version {version} is older than the recorded release {later[-1]}; "
            f"set a version above {later[-1]} in warta/__init__.py"
        )
    previous = recorded[earlier[-1]] if earlier else None
    date = existing["date"] if existing else datetime.now(UTC).date().isoformat()
    # Articles of earlier releases keep their splits (this one's record, if any, is the result).
    released = duplicates.Released.read({v: recorded[v] for v in earlier})
    plan = plan_splits(found, jobs, released)
    current = manifest(found, plan)
    folder_path = root / version
    with staging(folder_path) as folder:
        stats, configs = write_dataset(found, folder, annotators, jobs, show_progress, plan=plan)
        change_text = changes(previous, current, stats)
        write_card(folder, stats, configs, version, change_text)
        meta = croissant.metadata(folder, configs, version)
        meta["datePublished"] = date
        (folder / "croissant.json").write_text(
            json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        sums = checksums(folder)
        (folder / SUMS).write_text(
            "".join(f"{digest}  {name}\n" for name, digest in sums.items()), encoding="utf-8"
        )
        if existing is not None and existing["files"] != sums:
            differ = sorted(
                name
                for name in set(sums) | set(existing["files"])
                if sums.get(name) != existing["files"].get(name)
            )
            tools = _tools()
            hint = ""
            if tools != existing.get("tools"):
                hint = (
                    f" The tools differ from the recorded ones ({existing.get('tools')} now "
                    f"{tools}); install those versions to reproduce it."
                )
            raise ReleaseRefused(
                f"version {version} is already released with different content: "
                f"{len(differ)} file(s) differ ({', '.join(differ[:5])}"
                f"{', ...' if len(differ) > 5 else ''}). A release is immutable: bump the "
                "version in warta/__init__.py (PATCH for corrections, MINOR for new articles "
                f"or layers, MAJOR for a change of record shape or labels).{hint}"
            )
    record_path = root / f"{version}.json"
    if existing is None:
        record = {
            "version": version,
            "date": date,
            "tools": _tools(),
            "files": sums,
            "stats": stats.to_dict(),
            "changes": change_text,
            "manifest": current,
        }
        record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        recorded[version] = record
        if changelog is not None:
            write_changelog(
                changelog, dict(sorted(recorded.items(), key=lambda kv: version_key(kv[0])))
            )
    return ReleaseResult(
        version=version,
        folder=folder_path,
        record=record_path,
        reproduced=existing is not None,
        stats=stats,
    )

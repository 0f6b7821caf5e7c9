"""Release records (``releases/X.Y.Z.json``): reading them whole, and ordering versions.

Kept apart from :mod:`warta.release`, which builds releases, so that what only reads
the records (validation's duplicate checks against released splits) does not import
the build, the annotators and the exporters.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from warta.errors import RecordError

SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def version_key(version: str) -> tuple[int, int, int]:
    """Sort key of a MAJOR.MINOR.PATCH version."""
    match = SEMVER.match(version)
    if not match:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH")
    return int(match[1]), int(match[2]), int(match[3])


_RECORD_KEYS = ("version", "date", "tools", "files", "stats", "changes", "manifest")


def read_record(path: Path) -> dict[str, Any]:
    """One release record, checked to be whole (a record cut short by a full disk is not)."""
    try:
        record = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        cause = exc.strerror if isinstance(exc, OSError) else "not complete JSON"
        raise RecordError(
            f"{path}: {cause}; restore it from version control (git checkout -- {path}), "
            "or remove it if that release was never published"
        ) from None
    missing = [k for k in _RECORD_KEYS if not isinstance(record, dict) or k not in record]
    wrong = isinstance(record, dict) and record.get("version") != path.stem
    if missing or wrong or not isinstance(record.get("manifest"), dict):
        what = f"lacks {', '.join(missing)}" if missing else "does not match its file name"
        raise RecordError(
            f"{path}: not a whole release record ({what}); restore it from version control "
            f"(git checkout -- {path}), or remove it if that release was never published"
        )
    return record


def records(root: Path) -> dict[str, dict[str, Any]]:
    """Every recorded release, by version."""
    found = {}
    for path in root.glob("*.json"):
        if SEMVER.match(path.stem):
            found[path.stem] = read_record(path)
    return dict(sorted(found.items(), key=lambda kv: version_key(kv[0])))

"""The documentation is self-contained: the guidelines are the scheme, and nothing cites a
document the repository does not hold.

docs/GUIDELINES.md is the annotation scheme, version 1.1. Its section 6 carries the 42
refinements of version 1.1 as entries B1-B9, E1-E16 and Q1-Q17, each with an anchor and its
1.1 rule number; code, tests and notes cite them by anchor.
"""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
from pathlib import Path

from .conftest import ROOT

GUIDELINES = ROOT / "docs" / "GUIDELINES.md"

# The 1.1 rule numbers of each layer, in the order of its entries (B1 is rule 1, B7 rule 27, ...).
RULES = {
    "B": [*range(1, 7), *range(27, 30)],
    "E": [*range(7, 19), *range(30, 34)],
    "Q": [*range(19, 27), *range(34, 43)],
}

# Citations of documents the repository does not contain. The patterns are written so that
# this file does not match them itself.
OUTSIDE = [
    re.compile(r"\b(?:ANNOTATION|DATASET)\.md\b", re.IGNORECASE),
    re.compile(r"\bshared[/]"),
    re.compile(r"\brealworld[/]"),
    re.compile(r"/work[/]"),
]
# Project text: code, docs, configuration. Articles and their annotation files (corpus/,
# the CI's sample contribution) are data written by contributors, not citations.
TEXT_SUFFIXES = {".py", ".md", ".yml", ".yaml", ".toml", ".json", ".txt", ".cfg", ".ini"}
DATA_FOLDERS = ("corpus/", ".ci/contribution/")
# Where a copy without .git (the CI's contribution check) falls back to walking the tree.
UNTRACKED = [
    ".git",
    "dist",
    ".dist.*",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".venv",
    "build",
    "bench/out",
    "releases/*/",
]


def tracked_files() -> list[str]:
    """Paths relative to ROOT that git tracks (or, without git, that .gitignore keeps)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True
        ).stdout.decode("utf-8")
        files = [p for p in out.split("\0") if p]
        if files:
            return files
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for folder, dirs, names in os.walk(ROOT):
        rel = Path(folder).relative_to(ROOT).as_posix()
        rel = "" if rel == "." else rel + "/"
        dirs[:] = [
            d
            for d in dirs
            if not any(
                fnmatch.fnmatch(d, p) or fnmatch.fnmatch(rel + d + "/", p) or rel + d == p
                for p in UNTRACKED
            )
        ]
        files += [rel + n for n in names if n != ".DS_Store"]
    return files


def project_texts() -> dict[str, str]:
    """Tracked project text files (not article data), by path."""
    out = {}
    for path in tracked_files():
        p = ROOT / path
        if path.startswith(DATA_FOLDERS) or not p.is_file():
            continue
        if p.suffix not in TEXT_SUFFIXES and not path.startswith((".ci/", ".github/")):
            continue
        try:
            out[path] = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    return out


def allowed(path: str, lines: list[str], i: int) -> bool:
    """A bench script's default for a local folder, whose help says the user supplies it."""
    if not (path.startswith("bench/") and path.endswith(".py") and "default=" in lines[i]):
        return False
    return "outside the repository" in " ".join(lines[i : i + 4])


def test_no_file_cites_a_document_outside_the_repository() -> None:
    texts = project_texts()
    assert "docs/GUIDELINES.md" in texts and "README.md" in texts
    hits = []
    for path, text in texts.items():
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if any(p.search(line) for p in OUTSIDE) and not allowed(path, lines, i):
                hits.append(f"{path}:{i + 1}: {line.strip()}")
    assert not hits, "cite docs/GUIDELINES.md, README.md or schema/ instead:\n" + "\n".join(hits)


def test_relative_links_in_markdown_point_at_files_of_the_repository() -> None:
    files = set(tracked_files())
    broken = []
    for path, text in project_texts().items():
        if not path.endswith(".md"):
            continue
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:|#", target):
                continue
            resolved = (ROOT / path).parent.joinpath(target.split("#")[0]).resolve()
            try:
                rel = resolved.relative_to(ROOT).as_posix()
            except ValueError:
                broken.append(f"{path}: {target} (outside the repository)")
                continue
            if rel not in files and not any(f.startswith(rel + "/") for f in files):
                broken.append(f"{path}: {target}")
    assert not broken, "\n".join(broken)


def guidelines() -> str:
    return GUIDELINES.read_text(encoding="utf-8")


def entries() -> list[tuple[str, int, int, str]]:
    """(layer, number, 1.1 rule, body) of each refinement entry in the guidelines."""
    text = guidelines()
    heading = re.compile(
        r'^#### <a id="([beq])(\d+)"></a>([BEQ])(\d+)\. .+ \(rule (\d+)\)$', re.MULTILINE
    )
    found = list(heading.finditer(text))
    out = []
    for k, m in enumerate(found):
        anchor_layer, anchor_n, layer, n, rule = m.groups()
        assert (anchor_layer.upper(), anchor_n) == (layer, n), m.group(0)
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        body = text[m.end() : end].split("\n### ")[0].split("\n## ")[0]
        out.append((layer, int(n), int(rule), body))
    return out


def test_guidelines_carry_each_of_the_42_refinements_once() -> None:
    found = entries()
    rules = sorted(rule for _, _, rule, _ in found)
    missing = sorted(set(range(1, 43)) - set(rules))
    assert not missing, f"refinements with no entry: rules {missing}"
    assert rules == list(range(1, 43)), "a 1.1 rule number is used twice"
    for layer, numbers in RULES.items():
        got = [(n, rule) for lay, n, rule, _ in found if lay == layer]
        want = list(enumerate(numbers, start=1))
        assert got == want, f"{layer} entries must be {layer}1..{layer}{len(numbers)} in order"


def test_each_refinement_has_an_invented_example() -> None:
    for layer, n, rule, body in entries():
        assert "*(invented)*" in body, f"{layer}{n} (rule {rule}) has no invented example"


def test_guidelines_state_their_version_and_cite_only_their_own_entries() -> None:
    text = guidelines()
    assert "version 1.1" in text
    ids = {f"{layer}{n}" for layer, n, _, _ in entries()}
    cited = set(re.findall(r"\b[BEQ]\d{1,2}\b", text))
    assert cited <= ids, f"entries cited but not defined: {sorted(cited - ids)}"


def test_anchors_cited_into_the_guidelines_exist() -> None:
    anchors = set(re.findall(r'<a id="([\w-]+)"></a>', guidelines()))
    for text in project_texts().values():
        for anchor in re.findall(r"GUIDELINES\.md#([\w-]+)", text):
            assert anchor in anchors, f"GUIDELINES.md has no anchor #{anchor}"


def test_card_names_the_guidelines_and_the_scheme_version() -> None:
    card = (ROOT / "dataset_card.md").read_text(encoding="utf-8")
    assert "docs/GUIDELINES.md" in card
    assert "version 1.1" in card

"""CI installs the browser the review tests need, and uploads the pages a pull request changes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from . import review_article as art
from .conftest import ROOT
from .test_ci import readme_commands

INSTALL = "apt-get install -y chromium chromium-driver"


def test_ci_script_installs_chromium_before_the_tests() -> None:
    lines = [
        line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    ]
    test_command = lines.index(readme_commands()[1])
    install = next(i for i, line in enumerate(lines) if INSTALL in line)
    assert install < test_command
    # Only when missing, and as root (CI) or through sudo.
    guard = next(i for i, line in enumerate(lines) if line.startswith("if ") and "chromium" in line)
    assert guard < install and "command -v chromedriver" in lines[guard]
    assert any("id -u" in line for line in lines[guard:install])


def workflow_steps() -> list[dict]:
    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "contributions.yml").read_text(encoding="utf-8")
    )
    (job,) = workflow["jobs"].values()
    assert "bookworm" in job["container"]  # Debian: chromium and chromedriver as .deb packages
    return job["steps"]


def test_workflow_installs_chromium_before_the_tests() -> None:
    runs = [step.get("run") or "" for step in workflow_steps()]
    install = next(i for i, run in enumerate(runs) if INSTALL in run)
    assert install < runs.index(readme_commands()[1])


def test_workflow_uploads_the_review_pages_of_the_changed_articles() -> None:
    steps = workflow_steps()
    review = next(s for s in steps if ".ci/review-changes" in (s.get("run") or ""))
    command = next(line for line in review["run"].splitlines() if ".ci/review-changes" in line)
    _script, base, out = command.split()
    assert "git fetch" in review["run"] and "$BASE_REF" in review["run"]
    assert base == "FETCH_HEAD" and review["env"]["BASE_REF"] == "${{ github.base_ref }}"
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == out
    assert steps.index(review) < steps.index(upload)
    for step in (review, upload):
        assert "pull_request" in step["if"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_review_changes_writes_the_pages_of_exactly_the_changed_articles(tmp_path: Path) -> None:
    from .fixtures import PARTIAL_ID, RAW_ID, write_corpus

    repo = tmp_path / "repo"
    corpus = repo / "corpus"
    write_corpus(corpus)
    art.write(corpus)
    git(repo, "init", "-q")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    # A corrected annotation file, an article whose annotation file goes, a new article
    # without one, and an article deleted: three pages, never one of the deleted article.
    doc = art.annotation()
    doc["metadata"]["title"] = "Halte baru"
    (corpus / f"{art.ID}.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    (corpus / f"{PARTIAL_ID}.json").unlink()
    (corpus / "uji-baru-4.txt").write_text("Artikel baru tentang hujan di Bogor.\n", "utf-8")
    (corpus / f"{RAW_ID}.txt").unlink()
    (repo / "notes.md").write_text("not an article\n", "utf-8")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "change")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    script = str(ROOT / ".ci" / "review-changes")
    subprocess.run([script, base, "pages"], cwd=repo, check=True, env=env, capture_output=True)
    pages = sorted(p.name for p in (repo / "pages" / "articles").iterdir())
    assert pages == sorted([f"{art.ID}.html", f"{PARTIAL_ID}.html", "uji-baru-4.html"])
    # Nothing changed since HEAD: no pages, and no failure.
    done = subprocess.run(
        [script, "HEAD", "none"], cwd=repo, check=True, env=env, capture_output=True, text=True
    )
    assert "no article" in done.stdout and not (repo / "none").exists()

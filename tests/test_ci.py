"""CI runs exactly what the README tells people to run."""

from __future__ import annotations

import re

import yaml

from .conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_readme_has_two_commands_install_build_and_install_test() -> None:
    build, test = readme_commands()
    assert "pip install" in build and "build.py" in build
    assert "pip install" in test and "pytest" in test


def test_ci_script_runs_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in script


def test_pull_request_workflow_runs_the_same_commands() -> None:
    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "contributions.yml").read_text(encoding="utf-8")
    )
    assert "pull_request" in workflow[True] or "pull_request" in workflow.get("on", {})
    steps = [s.get("run") for job in workflow["jobs"].values() for s in job["steps"]]
    assert readme_commands()[1] in steps
    assert "python build.py validate corpus" in steps
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python build.py validate corpus" in script

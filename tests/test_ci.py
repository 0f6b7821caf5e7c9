"""CI runs exactly what the README tells people to run."""

from __future__ import annotations

import json
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
    # Problems are shown inline on the pull request.
    assert "python build.py validate corpus --format github" in steps
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python build.py validate corpus" in script


def test_ci_script_runs_the_commands_again_on_a_corpus_with_a_contribution() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in script if line.strip() and not line.startswith("#")]
    added = next(i for i, c in enumerate(commands) if c.startswith("cp .ci/contribution/"))
    assert "corpus/" in commands[added]
    after = commands[added + 1 :]
    assert after[0].startswith("cd ")
    assert "python build.py validate corpus" in after
    assert any(c.startswith("python build.py") and "validate" not in c for c in after)
    assert readme_commands()[1] in after
    # The copy is made from the files git tracks, before the articles are added.
    assert any("git ls-files" in c or "git clone" in c for c in commands[:added])


def test_the_ci_contribution_is_valid_and_annotated_by_hand() -> None:
    from warta.cli import main
    from warta.schema import LAYERS

    folder = ROOT / ".ci" / "contribution"
    assert main(["validate", str(folder)]) == 0
    annotated = [json.loads(p.read_text("utf-8")) for p in folder.glob("*.json")]
    assert annotated and all(doc["manual"] == list(LAYERS) for doc in annotated)
    assert all(doc[layer] for doc in annotated for layer in LAYERS)
    # And one article without an annotation file, as contributors may add.
    assert {p.stem for p in folder.glob("*.txt")} > {doc["id"] for doc in annotated}

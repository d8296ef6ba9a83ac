"""The GitHub Pages workflow is valid and runs exactly the README's commands.

A newcomer follows the README; the workflow must do the same thing on a push,
so these tests read both files and fail the day they drift apart.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"


def load_workflow(path: Path = PUBLISH) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def readme_commands() -> list[str]:
    """The shell commands of the README's ```sh blocks, one per line.

    Only the "Two commands" section when there is one: other sections (Publish)
    show variants of these commands that CI is not meant to mirror.
    """
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Two commands\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    text = section[1] if section else text
    blocks = re.findall(r"^```(?:sh|bash|shell)\n(.*?)^```", text, flags=re.M | re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def readme_site_command() -> str:
    [command] = [c for c in readme_commands() if "mkdocs serve" in c]
    return command


def readme_test_command() -> str:
    [command] = [c for c in readme_commands() if "scripts/test" in c]
    return command


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    matches = [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]
    assert len(matches) == 1, f"expected one step using {action}, found {len(matches)}"
    return matches[0]


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return load_workflow()


def test_every_workflow_parses_and_matches_githubs_schema() -> None:
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert PUBLISH in files
    for path in files:
        load_workflow(path)
    # check-jsonschema ships the schema GitHub's workflow syntax is checked
    # against (SchemaStore's), so this runs offline and catches misspelt keys.
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
        + [str(p) for p in files],
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pushes_to_main_and_pull_requests_trigger_it(workflow: dict[Any, Any]) -> None:
    on = workflow["on"]
    assert on["push"]["branches"] == ["main"]
    assert "pull_request" in on


def test_pull_requests_run_the_readme_test_command(workflow: dict[Any, Any]) -> None:
    test = workflow["jobs"]["test"]
    # No condition: the tests run on pull requests and on pushes alike.
    assert "if" not in test
    assert readme_test_command() == "./scripts/test"
    assert runs(test) == [readme_test_command()]
    # A fresh clone runs ./scripts/test directly, so it must stay executable.
    assert os.access(ROOT / "scripts" / "test", os.X_OK)


@pytest.mark.parametrize("job_name", ["test", "build"])
def test_python_is_set_up_with_a_pip_cache_keyed_on_pyproject(
    workflow: dict[Any, Any], job_name: str
) -> None:
    setup = step_using(workflow["jobs"][job_name], "actions/setup-python")["with"]
    assert setup["cache"] == "pip"
    assert setup["cache-dependency-path"] == "pyproject.toml"
    assert (ROOT / setup["cache-dependency-path"]).is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    requires = yaml.safe_load(re.search(r"^requires-python = (.+)$", pyproject, re.M)[1])
    assert str(setup["python-version"]) in SpecifierSet(requires)


def test_build_installs_and_builds_as_the_readme_does(workflow: dict[Any, Any]) -> None:
    *install, serve = [part.strip() for part in readme_site_command().split("&&")]
    assert serve == ".venv/bin/mkdocs serve"
    build = workflow["jobs"]["build"]
    assert runs(build) == [" && ".join(install), ".venv/bin/mkdocs build --strict"]


def test_the_build_keeps_zhikus_cache_between_runs(workflow: dict[Any, Any]) -> None:
    from zhiku.glue.catalogue import CACHE_DIR
    from zhiku.glue.search import SearchConfig

    build = workflow["jobs"]["build"]
    cache = step_using(build, "actions/cache")
    steps = build["steps"]
    [mkdocs_build] = [s for s in steps if "mkdocs build" in s.get("run", "")]
    # Restored before the build (the post step saves it after).
    assert steps.index(cache) < steps.index(mkdocs_build)
    # The folder every Zhiku cache lives in, next to mkdocs.yml.
    folder = cache["with"]["path"]
    assert folder == ".cache"
    assert CACHE_DIR.startswith(folder + "/")
    assert SearchConfig.cache_dir.default.startswith(folder + "/")
    # Keyed on the code that wrote it, so a code change starts from an empty cache; the
    # content part only makes each new site state save a fresh entry.
    code = "hashFiles('pyproject.toml', 'plugins/**')"
    key = cache["with"]["key"]
    assert code in key and "hashFiles('content/**')" in key
    restore = cache["with"]["restore-keys"].splitlines()
    assert restore and all(code in prefix and key.startswith(prefix) for prefix in restore)


def test_the_readme_says_how_to_clear_the_cache() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "rm -rf .cache" in text


def test_build_publishes_only_from_main_after_the_tests_pass(workflow: dict[Any, Any]) -> None:
    build = workflow["jobs"]["build"]
    assert build["needs"] == "test"
    assert "github.event_name != 'pull_request'" in build["if"]
    assert "github.ref == 'refs/heads/main'" in build["if"]


def test_nothing_is_ingested_in_ci(workflow: dict[Any, Any]) -> None:
    # content/ is committed Markdown; CI must publish it as reviewed, never re-ingest.
    for job in workflow["jobs"].values():
        for command in runs(job):
            assert "ingest" not in command and not re.search(r"(^|[\s/])zhiku\b", command), command


def test_site_url_comes_from_the_repositorys_pages_settings(workflow: dict[Any, Any]) -> None:
    build = workflow["jobs"]["build"]
    configure = step_using(build, "actions/configure-pages")
    [mkdocs_build] = [s for s in build["steps"] if "mkdocs build" in s.get("run", "")]
    base_url = f"${{{{ steps.{configure['id']}.outputs.base_url }}}}"
    assert mkdocs_build["env"]["SITE_URL"] == base_url + "/"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ("https://someone.github.io/their-fork", "https://someone.github.io/their-fork/"),
        ("https://notes.example.org/", "https://notes.example.org/"),
        (None, "https://zhiku-notes.github.io/zhiku/"),
    ],
)
def test_mkdocs_reads_site_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, env: str | None, expected: str
) -> None:
    from mkdocs.config import load_config

    if env is None:
        monkeypatch.delenv("SITE_URL", raising=False)
    else:
        monkeypatch.setenv("SITE_URL", env)
    assert load_config(str(ROOT / "mkdocs.yml")).site_url == expected


def test_the_uploaded_artifact_is_the_built_site(workflow: dict[Any, Any]) -> None:
    from mkdocs.config import load_config

    build = workflow["jobs"]["build"]
    upload = step_using(build, "actions/upload-pages-artifact")
    site_dir = Path(load_config(str(ROOT / "mkdocs.yml")).site_dir)
    assert ROOT / upload["with"]["path"] == site_dir


def test_deploy_job_has_exactly_the_pages_permissions(workflow: dict[Any, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    deployment = step_using(deploy, "actions/deploy-pages")
    assert deploy["environment"]["url"] == (f"${{{{ steps.{deployment['id']}.outputs.page_url }}}}")
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    # Only the deploy job may write to Pages.
    for name, job in workflow["jobs"].items():
        if name != "deploy":
            assert job.get("permissions", {}).get("pages") != "write", name
            assert "id-token" not in job.get("permissions", {}), name


def test_every_action_is_pinned_to_a_release(workflow: dict[Any, Any]) -> None:
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[\w-]+@(v\d+|[0-9a-f]{40})", step["uses"]), step


def test_checkouts_do_not_keep_the_token(workflow: dict[Any, Any]) -> None:
    # No job pushes, so the token has no business in .git/config (or in an artifact).
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, name

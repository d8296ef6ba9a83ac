"""`mkdocs gh-deploy` publishes the site to a `gh-pages` branch a Pages server can serve.

The remote is a bare repository in a temporary folder, so nothing leaves the
machine; the command is the real one a user runs, on a copy of this project.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.request import urlopen

import pytest

from zhiku.articles import parse_article

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, encoding="utf-8", check=False
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


@pytest.fixture
def git_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose git needs no user configuration of the machine."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Zhiku Tests\n\temail = tests@zhiku.invalid\n"
        "[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    return {
        **os.environ,
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_MKDOCS_2_WARNING": "1",
        # As the README says to deploy a project site (and whatever the caller exported).
        "SITE_URL": "https://user.github.io/repo/",
    }


@pytest.fixture
def project(tmp_path: Path, git_env: dict[str, str]) -> Path:
    """A fresh clone of this project as a user has it: a git work tree with a remote."""
    work = tmp_path / "project"
    work.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(ROOT / "content", work / "content")
    # The scenarios below decide about the custom domain themselves.
    (work / "content" / "CNAME").unlink(missing_ok=True)
    shutil.copytree(ROOT / "theme_overrides", work / "theme_overrides")
    git("init", "-q", cwd=work, env=git_env)
    git("add", ".", cwd=work, env=git_env)
    git("commit", "-q", "-m", "Notes", cwd=work, env=git_env)
    git("init", "-q", "--bare", str(tmp_path / "pages.git"), cwd=tmp_path, env=git_env)
    git("remote", "add", "pages", str(tmp_path / "pages.git"), cwd=work, env=git_env)
    return work


def gh_deploy(project: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "mkdocs", "gh-deploy", "--strict", "--force"),
            *("--no-history", "--remote-name", "pages"),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr


def branch_files(bare: Path, env: dict[str, str]) -> set[str]:
    listing = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare, env=env)
    return set(listing.splitlines())


def articles(project: Path) -> list[str]:
    """Slugs (file names) of the content files that are articles."""
    return [
        path.stem
        for path in sorted((project / "content").glob("*.md"))
        if parse_article(path.name, path.read_text(encoding="utf-8")) is not None
    ]


def test_gh_deploy_pushes_the_built_site_to_gh_pages(
    project: Path, git_env: dict[str, str], tmp_path: Path, serve: Callable[..., str]
) -> None:
    bare = tmp_path / "pages.git"
    gh_deploy(project, git_env)

    files = branch_files(bare, git_env)
    assert {"index.html", "404.html", "sitemap.xml", ".nojekyll"} <= files
    # Without a custom domain there must be no CNAME, or Pages would redirect to it.
    assert "CNAME" not in files
    assert articles(project), "the sample content has no articles"
    for slug in articles(project):
        assert f"{slug}/index.html" in files

    # The branch holds exactly what the build produced, byte for byte.
    built = {
        p.relative_to(project / "site").as_posix()
        for p in (project / "site").rglob("*")
        if p.is_file()
    }
    assert files - {".nojekyll"} == built
    for name in ("index.html", "404.html"):
        blob = subprocess.run(
            ["git", "show", f"gh-pages:{name}"],
            cwd=bare,
            env=git_env,
            capture_output=True,
            check=True,
        ).stdout
        assert blob == (project / "site" / name).read_bytes()

    # The deploy commit names the source commit it was built from.
    head = git("rev-parse", "--short=7", "HEAD", cwd=project, env=git_env).strip()
    assert f"Deployed {head} " in git("log", "-1", "--format=%s", "gh-pages", cwd=bare, env=git_env)

    # A checkout of the branch is a working site: its home page and stylesheet load.
    checkout = tmp_path / "checkout"
    git("clone", "-q", "--branch", "gh-pages", str(bare), str(checkout), cwd=tmp_path, env=git_env)
    base = serve(checkout, "/repo/")
    with urlopen(base) as response:
        home = response.read().decode("utf-8")
    assert "知库" in home
    [css] = re.findall(r'href="([^"]*assets/stylesheets/main\.[^"]*\.css)"', home)
    with urlopen(base + css) as response:
        assert response.status == 200
        assert b"md-typeset" in response.read()


def test_a_custom_domain_is_published_as_cname_without_history(
    project: Path, git_env: dict[str, str], tmp_path: Path
) -> None:
    bare = tmp_path / "pages.git"
    gh_deploy(project, git_env)
    assert "CNAME" not in branch_files(bare, git_env)

    # The README's way to a custom domain: content/CNAME holds the host name.
    (project / "content" / "CNAME").write_text("notes.example.org\n", encoding="utf-8")
    git("add", "content/CNAME", cwd=project, env=git_env)
    git("commit", "-q", "-m", "Custom domain", cwd=project, env=git_env)
    gh_deploy(project, git_env)

    files = branch_files(bare, git_env)
    assert {"CNAME", ".nojekyll", "index.html"} <= files
    cname = git("show", "gh-pages:CNAME", cwd=bare, env=git_env)
    assert cname.strip() == "notes.example.org"
    # --no-history: the branch is one commit, however often the site is deployed.
    assert git("rev-list", "--count", "gh-pages", cwd=bare, env=git_env).strip() == "1"

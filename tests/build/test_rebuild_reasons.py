"""``mkdocs build -v`` says, for each page it rebuilds or removes, the input that changed.

The real command, twice per case, as a writer runs it: an edit between the builds, then
the second build's verbose log read for its ``zhiku/cache`` lines.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_render_cache import edit, write_site

pytestmark = pytest.mark.slow


def mkdocs_build_v(root: Path) -> list[str]:
    """``mkdocs build -v``'s lines from zhiku/cache (message only)."""
    command = [sys.executable, "-m", "mkdocs", "build", "-v", "-d", str(root / "site")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        command, cwd=root, capture_output=True, encoding="utf-8", check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    found = re.findall(r"zhiku/cache: (.*)", done.stderr + done.stdout)
    return [line.strip() for line in found]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    write_site(folder)
    return folder


def test_a_first_build_says_there_was_nothing_to_go_on_from(root: Path) -> None:
    lines = mkdocs_build_v(root)
    assert any("no earlier build to go on from" in line for line in lines), lines


def test_a_retitled_article_names_itself_and_the_neighbours_it_changed(root: Path) -> None:
    mkdocs_build_v(root)
    edit(root / "docs" / "c.md", "丙：变分自编码器", "丙：VAE 入门")
    lines = mkdocs_build_v(root)
    assert "rebuilt c/ (source)" in lines, lines
    # b.md and d.md are c.md's neighbours in time: their footers show its title.
    assert "rebuilt b/ (neighbour: c.md)" in lines, lines
    assert "rebuilt d/ (neighbour: c.md)" in lines, lines
    # e.md is two articles away and shares nothing with c.md.
    assert not [line for line in lines if line.startswith("rebuilt e/")], lines
    summary = [line for line in lines if re.fullmatch(r"rebuilt \d+ of \d+ pages.*", line)]
    assert summary, lines


def test_an_article_made_a_draft_is_removed_and_says_why(root: Path) -> None:
    mkdocs_build_v(root)
    edit(root / "docs" / "e.md", "title: 戊：分词", "title: 戊：分词\ndraft: true")
    lines = mkdocs_build_v(root)
    assert "removed e/index.html (not published)" in lines, lines
    assert not (root / "site" / "e" / "index.html").exists()
    assert "rebuilt d/ (neighbour: e.md (gone))" in lines, lines


def test_a_deleted_article_is_removed_as_gone(root: Path) -> None:
    mkdocs_build_v(root)
    (root / "docs" / "e.md").unlink()
    lines = mkdocs_build_v(root)
    assert "removed e/index.html (source gone)" in lines, lines


def test_a_theme_override_rebuilds_every_page_for_that_reason(root: Path) -> None:
    mkdocs_build_v(root)
    edit(root / "overrides" / "main.html", "版本一", "版本二")
    lines = mkdocs_build_v(root)
    grouped = [line for line in lines if "(theme file: main.html)" in line]
    assert grouped and grouped[0].startswith("rebuilt "), lines


def test_an_option_in_mkdocs_yml_is_named(root: Path) -> None:
    mkdocs_build_v(root)
    edit(root / "mkdocs.yml", "site_name: 测试站", "site_name: 测试站\ncopyright: 知库")
    lines = mkdocs_build_v(root)
    assert any("(option: copyright)" in line for line in lines), lines


def test_a_new_article_leaves_pages_with_links_to_others_alone(root: Path) -> None:
    """A page's conversion depends on the files its links name, not on the whole set:
    adding an article does not rebuild every page that has a relative link."""
    edit(root / "docs" / "a.md", "## 背景", "见 [乙](b.md) 与 [丙的背景](c.md#背景)。\n\n## 背景")
    mkdocs_build_v(root)
    (root / "docs" / "f.md").write_text(
        "---\ntitle: 己：新文章\ndate: 2020-01-01\ncategory: 杂记\ntags: [独有]\n---\n\n正文。\n",
        encoding="utf-8",
    )
    lines = mkdocs_build_v(root)
    assert "rebuilt f/ (new page)" in lines, lines
    assert not [line for line in lines if line.startswith("rebuilt a/")], lines
    assert not [line for line in lines if "set of files" in line], lines


def test_a_page_is_rebuilt_when_a_file_it_links_to_goes(root: Path) -> None:
    edit(root / "docs" / "a.md", "## 背景", "见 [附件](files/note.txt)。\n\n## 背景")
    (root / "docs" / "files").mkdir()
    (root / "docs" / "files" / "note.txt").write_text("附件", encoding="utf-8")
    mkdocs_build_v(root)
    (root / "docs" / "files" / "note.txt").unlink()
    lines = mkdocs_build_v(root)  # not --strict: MkDocs warns of the broken link
    assert "rebuilt a/ (link: files/note.txt)" in lines, lines
    assert "removed files/note.txt (source gone)" in lines, lines

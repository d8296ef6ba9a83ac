"""更新于: front matter `updated:`, else the last git commit that changed an article's body."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import feedparser
from feed_sites import article, build_once, write_site

from zhiku.articles.history import body_changes

EDITED = article("甲：正文改过", "2026-01-10", "Large Model", ["Transformer"], "第一版正文。\n")
RETAGGED = article("乙：只改标签", "2026-01-10", "Large Model", ["Transformer"], "乙的正文。\n")
HAND = article("丙：手写日期", "2026-01-10", "Large Model", ["VAE"], "丙。\n", updated="2026-02-02")


def _git(root: Path, *args: str, date: str = "2026-01-10") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{date}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{date}T12:00:00+00:00",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_updated_comes_from_body_edits_in_git_and_from_front_matter(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"a.md": EDITED, "b.md": RETAGGED, "c.md": HAND})
    docs = tmp_path / "docs"
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "add")
    # A body edit on 3 March; a front-matter-only rewrite (ingest re-tagging) on 4 March.
    (docs / "a.md").write_text(EDITED.replace("第一版正文。", "第二版正文，多了一句。"), "utf-8")
    _git(tmp_path, "commit", "-qam", "edit a", date="2026-03-03")
    (docs / "b.md").write_text(
        RETAGGED.replace("- Transformer", "- Transformer\n- 注意力"), "utf-8"
    )
    (docs / "a.md").write_text(
        (docs / "a.md").read_text("utf-8").replace("category: Large Model", "category: NLP"),
        "utf-8",
    )
    _git(tmp_path, "commit", "-qam", "retag", date="2026-03-04")

    site = build_once(config, tmp_path / "site")
    a = (site / "a" / "index.html").read_text("utf-8")
    assert '更新于 <time datetime="2026-03-03">2026年3月3日</time>' in a
    assert "更新于" not in (site / "b" / "index.html").read_text("utf-8")
    assert '<time datetime="2026-02-02">2026年2月2日</time>' in (
        site / "c" / "index.html"
    ).read_text("utf-8")
    atom = feedparser.parse((site / "feeds" / "atom.xml").read_bytes())
    assert atom.bozo == 0
    by_title = {e.title: e for e in atom.entries}
    assert by_title["甲：正文改过"].updated.startswith("2026-03-03")
    assert by_title["乙：只改标签"].updated.startswith("2026-01-10")
    items = json.loads((site / "feeds" / "feed.json").read_text("utf-8"))["items"]
    modified = {i["title"]: i.get("date_modified", "")[:10] for i in items}
    assert modified == {
        "甲：正文改过": "2026-03-03",
        "乙：只改标签": "",
        "丙：手写日期": "2026-02-02",
    }
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://example.org/a/</loc>" in sitemap
    assert sitemap.split("<loc>https://example.org/a/</loc>")[1].split("</url>")[0].strip() == (
        "<lastmod>2026-03-03</lastmod>"
    )


def test_front_matter_edits_do_not_count_as_updates() -> None:
    log = (
        "\x012026-03-04\n\ndiff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n"
        "@@ -4 +4,2 @@\n-category: A\n+category: B\n+category_inferred: true\n"
        "\x012026-03-03\n\ndiff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n"
        "@@ -9 +9 @@\n-旧的一句。\n+新的一句。\n"
        "\x012026-01-01\n\ndiff --git a/x.md b/x.md\nnew file mode 100644\n--- /dev/null\n"
        "+++ b/x.md\n@@ -0,0 +1,9 @@\n+---\n+title: x\n"
    )
    assert body_changes(log, {"x.md": 6}) == {"x.md": dt.date(2026, 3, 3)}
    assert body_changes(log.split("\x012026-03-03")[0], {"x.md": 6}) == {}

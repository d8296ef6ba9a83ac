"""A renamed tag, category or series keeps its old URL answering and its feeds following.

Readers bookmarked ``tags/pytorch/`` and feed readers polled ``feeds/tags/pytorch/rss.xml``
for years; the writer renames ``Pytorch`` to ``PyTorch``. The old listing becomes a
redirect page to the new one and the old feeds carry the new name's articles; a warm build
and a cold build of a fresh copy (content and its slug record) give the same site.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest
from feed_sites import article, build_once, resolve, write_site

from zhiku.listing.slugbook import Recorded, Slugbook, dump_slugbook, read_slugbook

pytestmark = pytest.mark.slow

NOTES = {
    "dl/autograd.md": ("自动求导是怎样工作的", "2026-01-10"),
    "dl/ddp.md": ("DDP 多卡训练笔记", "2026-01-12"),
    "dl/amp.md": ("混合精度训练", "2026-01-14"),
}
OTHER = ("tools/git.md", "Git 分支整理", "2026-01-11")


def write_notes(root: Path, tags: list[str], category: str, series: str | None) -> None:
    for path, (title, date) in NOTES.items():
        more = {"series": series} if series else {}
        text = article(title, date, category, tags, f"{title}的正文。", **more)
        (root / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / path).write_text(text, "utf-8")
    path, title, date = OTHER
    (root / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
    text = article(title, date, "工具", ["Git", "深度学习"], "正文。")
    (root / "docs" / path).write_text(text, "utf-8")


def record(root: Path) -> dict[str, dict[str, str]]:
    book = read_slugbook((root / "docs" / ".zhiku" / "slugs.yml").read_text("utf-8"))
    return {kind: book.of(kind) for kind in ("category", "tags", "series")}


def state_rename(root: Path, kind: str, old: str, slug: str, to: str) -> None:
    """What a writer adds to content/.zhiku/slugs.yml by hand: ``old`` now means ``to``."""
    path = root / "docs" / ".zhiku" / "slugs.yml"
    book = read_slugbook(path.read_text("utf-8"))
    names = {k: dict(book.entries(k)) for k in ("category", "tags", "series")}
    names[kind][old] = Recorded(slug, retired=True, to=to)
    path.write_text(dump_slugbook(Slugbook(names)), "utf-8")


def refresh_target(site: Path, page: Path, site_path: str) -> Path | None:
    """Where the redirect page ``page`` sends the browser (None when it is no redirect)."""
    text = page.read_text("utf-8")
    found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', text)
    return resolve(site, page, found.group(1), site_path) if found else None


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def cold(root: Path, to: Path) -> Path:
    """A fresh clone: the content with its record and mkdocs.yml, no cache, no site."""
    shutil.copytree(root, to, ignore=shutil.ignore_patterns(".cache", "site*"))
    return build_once(to / "mkdocs.yml", to / "site")


def feed_titles(site: Path, folder: str) -> tuple[str, list[str]]:
    parsed = feedparser.parse((site / "feeds" / folder / "rss.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return str(parsed.feed.title), sorted(str(e.title) for e in parsed.entries)


@pytest.mark.parametrize(
    ("site_url", "directory_urls"),
    [("https://example.org/", True), ("https://example.org/notes/", False)],
)
def test_renamed_tag_category_and_series_redirect_and_their_feeds_follow(
    tmp_path: Path, site_url: str, directory_urls: bool
) -> None:
    site_path = "/" + site_url.split("/", 3)[3]
    config = write_site(
        tmp_path,
        {},
        site_url=site_url,
        directory_urls=directory_urls,
        plugin={"pagination_per_page": 2},
        cache=True,
    )

    def page(folder: str, n: int = 1) -> str:
        if n == 1:
            return f"{folder}/index.html"
        return f"{folder}/page/{n}/index.html" if directory_urls else f"{folder}/page/{n}.html"

    write_notes(tmp_path, ["Pytorch", "深度学习"], "机器学习", "训练入门")
    site = tmp_path / "site"
    build_once(config, site)
    before = tree(site)
    old = record(tmp_path)
    old_tag, old_cat = old["tags"]["Pytorch"], old["category"]["机器学习"]
    old_series = old["series"]["训练入门"]

    write_notes(tmp_path, ["PyTorch", "深度学习"], "ML", "训练基础")
    # A rename the writer states: Keras (never a tag here) is to be read as PyTorch.
    state_rename(tmp_path, "tags", "Keras", "keras", "PyTorch")
    build_once(config, site)
    new = record(tmp_path)
    new_tag, new_cat = new["tags"]["PyTorch"], new["category"]["ML"]
    new_series = new["series"]["训练基础"]
    assert len({old_tag, new_tag}) == 2 and old["tags"]["深度学习"] == new["tags"]["深度学习"]

    # The old listings, page 1 and page 2, send the reader to the new ones.
    for old_page, new_page in (
        (page(f"tags/{old_tag}"), page(f"tags/{new_tag}")),
        (page(f"tags/{old_tag}", 2), page(f"tags/{new_tag}", 2)),
        (page("tags/keras"), page(f"tags/{new_tag}")),
        (page(f"category/{old_cat}"), page(f"category/{new_cat}")),
        (page(f"series/{old_series}"), page(f"series/{new_series}")),
    ):
        assert refresh_target(site, site / old_page, site_path) == site / new_page, old_page
    assert "<title>标签：PyTorch</title>" in (site / f"tags/{old_tag}/index.html").read_text(
        "utf-8"
    )
    # The old feeds still parse and carry the renamed name's articles.
    titles = sorted(title for title, _ in NOTES.values())
    for folder, now, name in (
        (f"tags/{old_tag}", f"tags/{new_tag}", "标签：PyTorch"),
        ("tags/keras", f"tags/{new_tag}", "标签：PyTorch"),
        (f"category/{old_cat}", f"category/{new_cat}", "分类：ML"),
    ):
        title, items = feed_titles(site, folder)
        assert title.endswith(name) and items == titles, folder
        assert (title, items) == feed_titles(site, now)
    # Nothing published before disappeared, and what was not a listing of the old names
    # says the same.
    after = tree(site)
    assert before.keys() <= after.keys(), sorted(before.keys() - after.keys())
    unchanged = "feeds/tags/git/rss.xml"
    assert feed_titles(site, "tags/git")[0].endswith("标签：Git") and unchanged in after
    # A fresh clone builds the very same site.
    cold_site = cold(tmp_path, tmp_path / "clone")
    assert tree(cold_site) == after

    # The tag dropped everywhere: both its URLs (and the older name's) lead to the index.
    write_notes(tmp_path, ["深度学习"], "ML", "训练基础")
    build_once(config, site)
    for gone in (old_tag, new_tag):
        assert refresh_target(site, site / page(f"tags/{gone}"), site_path) == (
            site / "tags/index.html"
        )
        assert not (site / f"feeds/tags/{gone}/rss.xml").exists()
    assert tree(cold(tmp_path, tmp_path / "clone2")) == tree(site)

"""What was published at a tag, category or series URL stays what it was, build after build."""

from __future__ import annotations

import itertools
from pathlib import Path

import feedparser
import pytest
from feed_sites import article, build_once, write_site

NAMES = ["C++", "C", "c#"]


def _feed_title(site: Path, folder: str) -> str:
    parsed = feedparser.parse((site / "feeds" / folder / "rss.xml").read_bytes())
    assert parsed.bozo == 0
    return str(parsed.feed.title)


@pytest.mark.parametrize("order", list(itertools.permutations(NAMES)))
def test_a_new_colliding_tag_never_takes_a_published_tags_url(
    tmp_path: Path, order: tuple[str, ...]
) -> None:
    pages: dict[str, str] = {}
    config = write_site(tmp_path, pages)
    published: dict[str, str] = {}  # URL folder -> the tag it was published for
    for i, name in enumerate(order):
        src = tmp_path / "docs" / f"a{i}.md"
        src.write_text(article(f"文章{i}", f"2026-01-1{i}", "编程", [name], "正文。"), "utf-8")
        site = build_once(config, tmp_path / f"site{i}")
        for folder in sorted((site / "tags").iterdir()):
            if not folder.is_dir():
                continue
            heading = (folder / "index.html").read_text("utf-8")
            tag = next(n for n in NAMES if f"标签：{n}</h1>" in heading)
            assert published.setdefault(folder.name, tag) == tag, (order, folder.name)
            assert _feed_title(site, f"tags/{folder.name}").endswith(tag)
    assert (tmp_path / "docs" / ".zhiku" / "slugs.yml").is_file()


def test_emoji_tags_get_slugs_of_their_own_not_article_n(tmp_path: Path) -> None:
    config = write_site(
        tmp_path, {"a.md": article("甲", "2026-01-10", "随笔", ["🔥", "🚀"], "正文。")}
    )
    site = build_once(config, tmp_path / "site")
    folders = sorted(p.name for p in (site / "tags").iterdir() if p.is_dir())
    assert len(folders) == 2 and all(f.startswith("tag-") for f in folders), folders


def test_a_broken_slug_record_is_one_error_naming_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.exceptions import Abort, PluginError

    config = write_site(tmp_path, {"a.md": article("甲", "2026-01-10", "随笔", ["x"], "正文。")})
    record = tmp_path / "docs" / ".zhiku" / "slugs.yml"
    record.parent.mkdir()
    record.write_text("tags: {x: 'Not A Slug'}\n", "utf-8")
    with pytest.raises((PluginError, Abort)) as err:
        build_once(config, tmp_path / "site")
    said = str(err.value) + " ".join(r.getMessage() for r in caplog.records)
    assert "slugs.yml" in said and "is not a slug" in said

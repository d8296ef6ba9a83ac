"""The head of an article page: titles and descriptions reach link previews exactly as written."""

from __future__ import annotations

import html.parser
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TITLE = 'Q&A <研究> "引号" 与 CLIP'


class _Meta(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        key = found.get("property") or found.get("name")
        if tag == "meta" and key:
            self.values[key] = found.get("content") or ""


def test_og_and_twitter_titles_are_the_article_title_exactly(
    tmp_path: Path, build_site: Callable[..., Path]
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "index.md").write_text("---\ntitle: 首页\n---\n\n# 首页\n", encoding="utf-8")
    (content / "qa.md").write_text(
        f"---\ntitle: '{TITLE}'\ndate: 2026-01-15\ncategory: Q&A\n---\n\n"
        "这是一篇关于 A&B 的文章。它有第二句。\n",
        encoding="utf-8",
    )
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: content", f"docs_dir: {content}")
    config = config.replace(
        "custom_dir: theme_overrides", f"custom_dir: {ROOT / 'theme_overrides'}"
    )
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")

    site = build_site(tmp_path / "mkdocs.yml")

    parser = _Meta()
    parser.feed((site / "qa" / "index.html").read_text(encoding="utf-8"))
    assert parser.values["og:title"] == TITLE
    assert parser.values["twitter:title"] == TITLE
    assert parser.values["description"] == "这是一篇关于 A&B 的文章。它有第二句。"
    assert parser.values["article:section"] == "Q&A"


def test_a_written_description_reaches_meta_tags_as_text(
    tmp_path: Path, build_site: Callable[..., Path]
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "index.md").write_text("---\ntitle: 首页\n---\n\n# 首页\n", encoding="utf-8")
    (content / "clip.md").write_text(
        "---\ntitle: CLIP算法原理\ndate: 2026-01-10\n---\n\n正文。\n", encoding="utf-8"
    )
    (content / "qa.md").write_text(
        "---\ntitle: 问答\ndate: 2026-01-15\n"
        "description: '见 [[CLIP算法原理]] 与 **粗体**，损失为 $L = -\\log p$。'\n---\n\n正文。\n",
        encoding="utf-8",
    )
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: content", f"docs_dir: {content}")
    config = config.replace(
        "custom_dir: theme_overrides", f"custom_dir: {ROOT / 'theme_overrides'}"
    )
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")

    site = build_site(tmp_path / "mkdocs.yml")

    parser = _Meta()
    parser.feed((site / "qa" / "index.html").read_text(encoding="utf-8"))
    for key in ("description", "og:description", "twitter:description"):
        said = parser.values[key]
        assert "[[" not in said and "**" not in said and "$" not in said and "\\log" not in said
        assert said.startswith("见 CLIP算法原理 与 粗体"), said

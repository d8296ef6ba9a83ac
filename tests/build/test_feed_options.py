"""Every option of zhiku/feed and zhiku/search: a wrong or empty value is one clear line.

MkDocs' stock ``Type(int)`` takes ``true`` for a number (``bool`` is an ``int`` in Python)
and fills an empty value with the default without a word; the plugins' options refuse
both, and the build stops at startup with one error line naming the option.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from feed_sites import article, build_once, card_titles, write_site
from mkdocs.exceptions import Abort, PluginError

ARTICLES = {
    f"a{i}.md": article(f"文章 {i}", f"2026-01-{10 + i:02d}", "笔记", ["标签"], "正文。")
    for i in range(3)
}

# (plugin, option, value written in mkdocs.yml, what the one error line must say)
WRONG: list[tuple[str, str, Any, str]] = [
    ("zhiku/feed", "enabled", None, "has no value; write one, like `enabled: true`"),
    ("zhiku/feed", "enabled", "yes", '"yes" is not true or false'),
    ("zhiku/feed", "enabled", 1, "1 is not true or false"),
    ("zhiku/feed", "home_page", None, "has no value; write one, like `home_page: index.md`"),
    ("zhiku/feed", "home_page", "nope.md", "home_page: nope.md is not a file in"),
    ("zhiku/feed", "home_page", "index", '"index" is not a .md file'),
    ("zhiku/feed", "home_page", "../index.md", '"../index.md" is not inside docs_dir'),
    ("zhiku/feed", "home_page", 5, "5 is not text"),
    ("zhiku/feed", "pagination_per_page", True, "true is not a whole number"),
    ("zhiku/feed", "pagination_per_page", None, "has no value"),
    ("zhiku/feed", "pagination_per_page", 0, "0 is too small; set it to 1 or more"),
    ("zhiku/feed", "pagination_per_page", "10", '"10" is not a whole number'),
    ("zhiku/feed", "pagination_per_page", 2.5, "2.5 is not a whole number"),
    ("zhiku/feed", "excerpt_length", True, "true is not a whole number"),
    ("zhiku/feed", "excerpt_length", None, "has no value"),
    ("zhiku/feed", "excerpt_length", 5, "5 is too small; set it to 20 or more"),
    ("zhiku/feed", "feed_size", False, "false is not a whole number"),
    ("zhiku/feed", "feed_size", None, "has no value"),
    ("zhiku/feed", "feed_size", 0, "0 is too small; set it to 1 or more"),
    ("zhiku/feed", "related_count", True, "true is not a whole number"),
    ("zhiku/feed", "related_count", None, "has no value"),
    ("zhiku/feed", "related_count", -1, "-1 is too small; set it to 0 or more"),
    ("zhiku/feed", "related_min_score", True, "true is not a number"),
    ("zhiku/feed", "related_min_score", None, "has no value"),
    ("zhiku/feed", "related_min_score", 1.5, "1.5 is out of range; set it from 0 to 1"),
    ("zhiku/feed", "related_min_score", "0.1", '"0.1" is not a number'),
    (
        "zhiku/feed",
        "extra_front_matter",
        None,
        "has no value; write one, like `extra_front_matter: [cover, lang]`",
    ),
    (
        "zhiku/feed",
        "extra_front_matter",
        "cover",
        '"cover" is not a list; write one, like [cover, lang]',
    ),
    ("zhiku/feed", "extra_front_matter", [1], "1 is not a front-matter key name"),
    (
        "zhiku/feed",
        "extra_front_matter",
        ["two words"],
        '"two words" is not a front-matter key name',
    ),
    ("zhiku/search", "enabled", None, "has no value; write one, like `enabled: true`"),
    ("zhiku/search", "enabled", "no", '"no" is not true or false'),
    ("zhiku/search", "cache", None, "has no value; write one, like `cache: true`"),
    ("zhiku/search", "cache", 1, "1 is not true or false"),
    ("zhiku/search", "cache_dir", None, "has no value"),
    ("zhiku/search", "cache_dir", "", '"" is not text'),
    ("zhiku/search", "cache_dir", 3, "3 is not text"),
]


def _site(root: Path, plugin: str, options: dict[str, Any]) -> Path:
    config_file = write_site(root, ARTICLES)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    search_options = options if plugin == "zhiku/search" else {}
    feed_options = options if plugin == "zhiku/feed" else {}
    # A cache under the test's own folder, never the repository's.
    search_options = {"cache_dir": str(root / "cache"), **search_options}
    config["plugins"] = [{"zhiku/search": search_options}, {"zhiku/feed": feed_options}]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return config_file


def test_every_option_is_covered() -> None:
    from zhiku.glue.feed import FeedConfig
    from zhiku.glue.search import SearchConfig

    for plugin, config_class in (("zhiku/feed", FeedConfig), ("zhiku/search", SearchConfig)):
        options = {key for key, _ in config_class._schema}
        tested = {option for name, option, _, _ in WRONG if name == plugin}
        assert tested == options, plugin


@pytest.mark.parametrize(("plugin", "option", "value", "said"), WRONG)
def test_a_wrong_or_empty_option_stops_the_build_with_one_line(
    plugin: str,
    option: str,
    value: Any,
    said: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    config_file = _site(tmp_path, plugin, {option: value})
    with pytest.raises((Abort, PluginError)):
        build_once(config_file, tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, errors
    assert "\n" not in errors[0]
    assert said in errors[0], errors[0]
    assert option in errors[0]
    assert not (tmp_path / "site" / "index.html").exists(), "nothing is built"


def test_valid_options_build(tmp_path: Path) -> None:
    options = {"pagination_per_page": 2, "related_min_score": 0, "home_page": "index.md"}
    site = build_once(_site(tmp_path, "zhiku/feed", options), tmp_path / "site")
    assert len(card_titles(site / "index.html")) == 2


def test_a_site_without_index_md_gets_the_feed_as_its_home_page(tmp_path: Path) -> None:
    """Notes just imported into an empty folder build: the home page is the feed alone,
    titled with the site's name."""
    config_file = _site(tmp_path, "zhiku/feed", {})
    (config_file.parent / "docs" / "index.md").unlink()
    site = build_once(config_file, tmp_path / "site")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<h1" in home and "测试站" in home
    assert len(card_titles(site / "index.html")) == 3

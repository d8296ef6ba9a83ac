"""Front matter as real notes carry it, through `mkdocs build --strict`: Hexo dates and
category hierarchies build and order right, every bad file is named by one build, and a
misspelt key fails a strict build instead of being ignored."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import feedparser
import pytest
from feed_sites import article, build_once, card_titles, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort, PluginError

import zhiku.glue.catalogue as glue_catalogue

pytestmark = pytest.mark.slow

# Posts in the shape Hexo writes them: a time in `date`, `categories` as a list.
HEXO = {
    "policy-gradient.md": (
        "---\ntitle: 策略梯度\ndate: 2021-06-29 01:52:57\n"
        "categories: [机器学习, 强化学习]\ntags: [RL]\n---\n\n策略梯度的推导。\n"
    ),
    "q-learning.md": (
        "---\ntitle: Q 学习\ndate: 2021-06-29 21:10:00\n"
        "categories:\n  - 机器学习\n  - 强化学习\ntags: RL\n---\n\nQ 学习的更新式。\n"
    ),
    "notes.md": (
        "---\ntitle: 读书笔记\ndate: '2021-06-29T08:00:00+08:00'\ncategories: [笔记]\n"
        "updated: 2021-07-01\n---\n\n读书。\n"
    ),
    "old.md": "---\ntitle: 旧文\ndate: 2021-06-28\ncategories:\ntags:\n---\n\n旧的。\n",
    "version.md": "---\ntitle: 1.10\ndate: 2021-06-01\n---\n\n版本说明。\n",
}


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(glue_catalogue, "_catalogues", {})
    monkeypatch.setattr(glue_catalogue, "_last", {})
    monkeypatch.setattr(glue_catalogue, "_declared", {})
    monkeypatch.setenv("ZHIKU_TODAY", "2026-01-15")


def test_hexo_posts_build_newest_first_by_time_with_their_category_path(tmp_path: Path) -> None:
    site = build_once(write_site(tmp_path, HEXO), tmp_path / "site")
    home = site / "index.html"
    # Same day: 21:10 before 08:00+08:00 before 01:52:57; the day before last.
    assert card_titles(home) == ["Q 学习", "读书笔记", "策略梯度", "旧文", "1.10"]
    # The title as written on its page too, not as YAML reads it (1.1).
    assert "<title>1.10 - 测试站</title>" in (site / "version" / "index.html").read_text("utf-8")
    text = (site / "q-learning" / "index.html").read_text(encoding="utf-8")
    assert "机器学习 › 强化学习</a>" in text
    category = site / "category" / "jiqi-xuexi-qianghua-xuexi" / "index.html"
    assert card_titles(category) == ["Q 学习", "策略梯度"]
    # The category above lists what is under it, as Hexo's does.
    assert card_titles(site / "category" / "jiqi-xuexi" / "index.html") == ["Q 学习", "策略梯度"]
    assert (site / "category" / "weifenlei" / "index.html").is_file()  # old.md: 未分类
    atom = feedparser.parse((site / "feeds" / "atom.xml").read_bytes())
    assert atom.bozo == 0
    published = {e.title: e.published for e in atom.entries}
    assert published["Q 学习"] == "2021-06-29T21:10:00+00:00"
    assert published["读书笔记"] == "2021-06-29T08:00:00+08:00"
    assert published["旧文"] == "2021-06-28T00:00:00+00:00"
    items = json.loads((site / "feeds" / "feed.json").read_text(encoding="utf-8"))["items"]
    notes = next(i for i in items if i["title"] == "读书笔记")
    assert notes["date_modified"] == "2021-07-01T00:00:00+00:00"


def test_every_bad_file_is_named_by_one_build_then_it_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pages = {
        **HEXO,
        "a.md": "---\ntitle: 甲\ndate: 2021-13-01\n---\n\n甲。\n",
        "b.md": "---\ntitle: 乙\ndate： 2021-06-01\ntags: [x]\n---\n\n乙。\n",
        "sub/c.md": "---\ntitle: 丙\ndate: 2021-06-01\ntags:\n\t- x\n---\n\n丙。\n",
        "d.md": "---\ntitle: 丁\ndate: 2021-06-01\nseries: S\nseries_order: -1\n---\n\n丁。\n",
    }
    with pytest.raises((PluginError, Abort)):
        build_once(write_site(tmp_path, pages), tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert sorted(errors[:4]) == [
        'docs/a.md:3: date "2021-13-01" is not a YYYY-MM-DD date; write it like 2026-01-15',
        "docs/b.md:3: the key is followed by a full-width colon `：`; "
        "write an ASCII colon `:` after the key",
        "docs/d.md:5: series_order -1 is not a whole number of 1 or more; write one, like 2",
        "docs/sub/c.md:5: YAML does not allow tabs for indentation; indent with spaces",
    ]
    assert (
        errors[4] == "4 content files have errors (each on a line above); fix them and build again"
    )
    assert len(errors) == 5


def test_a_misspelt_key_fails_a_strict_build_and_a_declared_one_does_not(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    typo = article("甲", "2026-01-10", "笔记", [], "甲。").replace("category:", "catgory:")
    own = article("乙", "2026-01-11", "笔记", [], "乙。", cover="b.png")
    config = write_site(tmp_path, {"a.md": typo, "b.md": own})
    with pytest.raises(Abort, match="warning"):
        build_once(config, tmp_path / "site")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        'docs/a.md:4: unknown front-matter key "catgory"; did you mean "category"? '
        "(declare keys of your own in mkdocs.yml: zhiku/feed option extra_front_matter)",
        'docs/b.md:6: unknown front-matter key "cover"; declare it in mkdocs.yml '
        "(zhiku/feed option extra_front_matter: [cover]) if the site uses it, or delete the line",
    ]
    caplog.clear()
    (tmp_path / "docs" / "a.md").write_text(typo.replace("catgory:", "category:"), "utf-8")
    write_site(tmp_path, {}, plugin={"extra_front_matter": ["cover", "lang"]})
    build_once(config, tmp_path / "site")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_page_without_a_date_is_an_ordinary_page_and_the_build_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    pages = {
        "a.md": article("甲", "2026-01-10", "笔记", [], "甲。"),
        "about.md": "# 关于\n\n我。\n",
    }
    site = build_once(write_site(tmp_path, pages), tmp_path / "site")
    assert (site / "about" / "index.html").is_file()
    assert card_titles(site / "index.html") == ["甲"]
    infos = [r.getMessage() for r in caplog.records if "ordinary pages" in r.getMessage()]
    assert infos == [
        "zhiku: ordinary pages, not articles (no front-matter date, so in no listing or feed): "
        "docs/about.md; add `date: YYYY-MM-DD` to make one an article"
    ]


def test_an_alias_bomb_in_one_article_is_one_error_line_not_a_hung_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    bomb = "---\ntitle: 炸弹\ndate: 2026-01-10\n" + "\n".join(levels) + "\n---\n\n正文。\n"
    start = time.perf_counter()
    with pytest.raises((PluginError, Abort)):
        build_once(write_site(tmp_path, {**HEXO, "bomb.md": bomb}), tmp_path / "site")
    assert time.perf_counter() - start < 30  # the whole build, setup included
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [
        "docs/bomb.md:4: YAML anchors and aliases (&name, *name) are not allowed in front "
        "matter; write the value out in full"
    ]


MISTAKES = [
    ("tags", "tgas"), ("category", "catgory"), (": ", "： "), ("\n  - ", "\n\t- "),
    ("[", ""), ("2021-06-29", "2021-6-29"), ("---\n\n", "\n\n"), ("title: ", "title: “"),
    ("categories:\n  - ", "categories:\n  - [机器学习/"), ("title:", "Title:"),
]  # fmt: skip


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(mistakes=st.lists(st.sampled_from(MISTAKES), min_size=1, max_size=3))
def test_a_careless_writers_site_builds_or_fails_with_path_and_line(
    tmp_path_factory: pytest.TempPathFactory, mistakes: list[tuple[str, str]]
) -> None:
    root = tmp_path_factory.mktemp("careless")
    text = HEXO["q-learning.md"]
    for old, new in mistakes:
        text = text.replace(old, new, 1)
    handler = _Collect()
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        build_once(write_site(root, {**HEXO, "q-learning.md": text}), root / "site")
    except (PluginError, Abort):
        said = [m for m in handler.messages if "docs/q-learning.md:" in m]
        assert said, handler.messages  # the failure names the file and its line
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

"""No single article makes a build crawl: each hostile shape builds, or past its limit is
one line ``path:line: what; limit; what to do`` (README, Limits; figures in
scripts/README.md, "Hostile articles")."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from feed_sites import article, build_once, write_site
from mkdocs.exceptions import Abort, PluginError

import zhiku.glue.catalogue as glue_catalogue
from zhiku.articles.limits import MAX_BYTES, MAX_FENCES

pytestmark = pytest.mark.slow

NOTES = {
    "clip.md": article("CLIP 算法原理", "2026-01-10", "多模态", ["CLIP"], "对比学习。\n"),
    "detr.md": article("DETR", "2026-01-11", "检测", ["Transformer"], "集合预测。\n"),
}
PROSE = "注意力机制把查询与键的相似度归一化为权重，再对值加权求和。公式 $QK^\\top$ 是核心。\n\n"


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(glue_catalogue, "_catalogues", {})
    monkeypatch.setattr(glue_catalogue, "_last", {})
    monkeypatch.setattr(glue_catalogue, "_declared", {})
    monkeypatch.setenv("ZHIKU_TODAY", "2026-02-15")


def site_with(root: Path, page: str) -> Path:
    """The scenario site with the hostile ``long.md``, highlighting code as the sample does."""
    config = write_site(root, {**NOTES, "long.md": page})
    data = yaml.safe_load(config.read_text("utf-8"))
    data["markdown_extensions"] += ["pymdownx.superfences", "pymdownx.highlight"]
    config.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return config


def hostile(body: str) -> str:
    return article("长文", "2026-02-01", "随笔", ["长文"], body)


def body_at_limit() -> str:
    text = hostile("")
    room = MAX_BYTES - len(text.encode("utf-8"))
    text += PROSE * (room // len(PROSE.encode("utf-8")))
    return text + "x" * (MAX_BYTES - len(text.encode("utf-8")))


SHAPES = {
    # name: (the hostile page, a piece of HTML its page shows that many times, how many)
    "wiki links": (
        hostile("".join(f"第 {n} 条：[[DETR]]\n\n" for n in range(2_000))),
        'href="../detr/"',
        2_000,
    ),
    "Markdown links": (
        hostile("".join(f"- [第 {n} 条](clip.md)\n" for n in range(2_000))),
        'href="../clip/"',
        2_000,
    ),
    "headings": (
        hostile("".join(f"## 第 {n} 节\n\n一行正文。\n\n" for n in range(2_000))),
        "<h2 id=",
        2_000,
    ),
    "links in one paragraph": (
        hostile("".join(f"[第 {n} 条](clip.md) " for n in range(400)) + "\n"),
        'href="../clip/"',
        400,
    ),
    "fenced code blocks": (
        hostile("".join(f"```python\nx = {n}\n```\n\n" for n in range(MAX_FENCES))),
        '<div class="highlight">',
        MAX_FENCES,
    ),
    "a body of the largest size": (body_at_limit(), "<p>注意力机制", 1),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_hostile_article_at_its_limit_builds(tmp_path: Path, shape: str) -> None:
    page, shows, times = SHAPES[shape]
    site = build_once(site_with(tmp_path, page), tmp_path / "site")
    html = (site / "long" / "index.html").read_text("utf-8")
    assert html.count(shows) >= times


OVER = {
    "a body of 20 MB": (
        hostile(PROSE * (20 * 2**20 // len(PROSE.encode("utf-8")))),
        "docs/long.md:1: the file is 20.00 MiB and a page may be at most 1 MiB; "
        "split it into several articles, and move any pasted (base64) images out into "
        "image files",
    ),
    "one fenced code block too many": (
        hostile("".join(f"```python\nx = {n}\n```\n\n" for n in range(MAX_FENCES + 1))),
        f"docs/long.md:{9 + 4 * MAX_FENCES}: this is fenced code block {MAX_FENCES + 1:,} and "
        f"a page may have at most {MAX_FENCES:,}; split the page into several articles",
    ),
    "10,000 links in one paragraph": (
        hostile("开头。\n\n" + "".join(f"[第 {n} 条](clip.md) " for n in range(10_000)) + "\n"),
        "docs/long.md:11: Markdown reads a paragraph again for each link or image in it",
    ),
    "a million blank lines": (
        hostile("开头。\n" + "\n" * 1_000_000 + "结尾。\n"),
        "docs/long.md:50001: the file has 1,000,0",
    ),
}


@pytest.mark.parametrize("shape", list(OVER))
def test_a_hostile_article_past_its_limit_is_one_line_saying_what_to_do(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, shape: str
) -> None:
    page, says = OVER[shape]
    with pytest.raises((PluginError, Abort)):
        build_once(site_with(tmp_path, page), tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors[0].startswith(says), errors


def test_an_ordinary_page_past_the_limit_is_refused_too(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = "# 附录\n\n" + PROSE * (MAX_BYTES // len(PROSE.encode("utf-8")) + 1)
    with pytest.raises((PluginError, Abort)):
        build_once(write_site(tmp_path, {**NOTES, "appendix.md": page}), tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors[0].startswith("docs/appendix.md:1: the file is 1.00 MiB"), errors

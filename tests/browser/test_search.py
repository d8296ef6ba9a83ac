"""Search as readers use it: typed into Material's header box, in headless Chromium, offline.

The site is a small scenario site whose articles are written for these cases,
so each test can name the exact article that must come first. Regressions are
named after the ways Material's own search (with jieba) fails on Chinese.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

ARTICLES = {
    "shendu-xuexi": (
        "深度学习入门",
        ["深度学习"],
        "深度学习用多层神经网络从数据中学习表示。卷积神经网络擅长图像。",
    ),
    "shendu-guji": (
        "单目深度估计",
        ["视觉"],
        "深度估计从一张图片推断每个像素的深度,深度图可用于三维重建。",
    ),
    "qianghua": ("强化学习基础", ["强化学习"], "智能体通过奖励学习策略,学习率需要仔细调整。"),
    "tidu": (
        "梯度检查点(Gradient Checkpointing)",
        ["显存优化"],
        "训练大模型时显存不够,梯度检查点只保存部分激活值,反向传播时重新计算,用时间换显存。",
    ),
    "transformer": (
        "Transformer架构详解",
        ["Transformer"],
        "Transformer模型完全基于自注意力,编码器和解码器堆叠多层。",
    ),
    "flash": (
        "FlashAttention:更快的注意力计算",
        ["推理加速"],
        "FlashAttention 通过分块计算减少显存读写,是长序列训练的常用优化。",
    ),
    "prefix": (
        "PrefixTuning与提示学习",
        ["微调"],
        "PrefixTuning 在每一层前面加上可训练的前缀向量,冻结原模型参数。",
    ),
    "zhuyili": (
        "注意力机制",
        ["注意力"],
        "注意力机制让模型在处理序列时关注最相关的部分,是现代网络的核心模块。",
    ),
    "qwen": (
        "Qwen3VL多模态模型与FP8训练",
        ["多模态"],
        "Qwen3VL 支持图像和视频理解;训练时使用 FP8 混合精度降低显存占用。",
    ),
    "zangwenben": (
        "抓取的脏文本",
        ["安全"],
        "这段文字来自网页抓取:&lt;img src=x onerror=alert(1)&gt; 它只能作为文字出现。",
    ),
}


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # tests/browser has its own conftest.py, so load the shared one by path.
    spec = importlib.util.spec_from_file_location("zhiku_conftest", ROOT / "tests" / "conftest.py")
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)

    root = tmp_path_factory.mktemp("search")
    content = root / "content"
    content.mkdir()
    (content / "index.md").write_text("# 知库\n", encoding="utf-8")
    for day, (slug, (title, tags, body)) in enumerate(ARTICLES.items(), start=1):
        front = f"title: {json.dumps(title, ensure_ascii=False)}\ndate: 2026-01-{day:02d}\n"
        front += f"tags: {json.dumps(tags, ensure_ascii=False)}\n"
        (content / f"{slug}.md").write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
    config = shared.copy_sample_config(
        root, **{f"docs_dir: {ROOT / 'content'}": f"docs_dir: {content}"}
    )
    return shared.build(config, root / "site")


@pytest.fixture
def site_page(search_site: Path, serve: Any, page: Any) -> Iterator[Any]:
    page.goto(serve(search_site))
    yield page
    assert page.zhiku_offsite == [], "search reached for another host"
    assert page.zhiku_console_errors == []
    assert page.zhiku_failed == []


def search(page: Any, query: str, *, paste: bool = False) -> list[str]:
    """Type ``query`` into the header search box; return the slugs of the results, in order."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press("End")
    page.wait_for_function("!document.querySelector('.md-search-result__item')")
    if paste:
        box.fill(query)
    else:
        box.press_sequentially(query)
    # An IME commits Chinese text with a key press; Material reads the box on keyup.
    box.press("End")
    # Results, or Material's "no results" line; then let the list settle.
    page.wait_for_function(SETTLED)
    previous = None
    while True:
        page.wait_for_timeout(100)
        current = page.eval_on_selector_all(".md-search-result__item a", LINKS)
        if current == previous:
            return current
        previous = current


SETTLED = """() => document.querySelector('.md-search-result__item') !== null ||
  document.querySelector('.md-search-result__meta').textContent.includes('没有')"""
LINKS = """els => els.filter(a => a.classList.contains('md-search-result__link'))
  .map(a => new URL(a.href).pathname.split('/').filter(Boolean).pop())"""


def test_search_box_is_materials_and_loads_no_lunr(site_page: Any, search_site: Path) -> None:
    assert site_page.locator("input.md-search__input").is_visible()
    assert not (search_site / "assets" / "javascripts" / "lunr").exists()
    manifest = json.loads((search_site / "search" / "search_index.json").read_text("utf-8"))
    assert manifest["docs"] == [] and manifest["config"]["zhiku"]["format"] == 1


def test_regression_last_character_of_a_han_run_is_searched(site_page: Any) -> None:
    # Material + jieba searched 深度学习 as 深度: depth estimation outranked deep learning.
    assert search(site_page, "深度学习")[0] == "shendu-xuexi"


def test_regression_query_whose_first_characters_are_not_a_token(site_page: Any) -> None:
    # Material fell back to the whole string "度检查点" and found nothing.
    assert search(site_page, "度检查点")[0] == "tidu"


def test_regression_latin_and_chinese_without_a_space(site_page: Any) -> None:
    assert search(site_page, "Transformer模型")[0] == "transformer"


@pytest.mark.parametrize(
    ("query", "slug"),
    [("FlashAttention", "flash"), ("flashattention", "flash"), ("PrefixTuning", "prefix")],
)
def test_regression_camel_case_words(site_page: Any, query: str, slug: str) -> None:
    assert search(site_page, query)[0] == slug


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("网络", "shendu-xuexi"),  # inside 神经网络
        ("检查点", "tidu"),  # inside 梯度检查点
        ("Qwen3VL", "qwen"),
        ("qwen3", "qwen"),
        ("FP8", "qwen"),
        ("注意力機制", "zhuyili"),  # traditional characters
        ("什么是注意力机制", "zhuyili"),
        ("注意力机制是什么", "zhuyili"),
        ("如何节省显存", "tidu"),
        ("梯度 显存", "tidu"),
    ],
)
def test_query_kinds_find_the_right_article_first(site_page: Any, query: str, slug: str) -> None:
    assert search(site_page, query)[0] == slug


def test_matched_terms_are_highlighted_in_title_and_snippet(site_page: Any) -> None:
    search(site_page, "检查点")
    first = site_page.locator(".md-search-result__item").first
    assert first.locator("h1 mark").all_inner_texts() == ["检查点"]
    assert "检查点" in first.locator("p mark").all_inner_texts()


def test_result_opens_the_article_with_the_terms_highlighted(site_page: Any) -> None:
    search(site_page, "显存")
    site_page.locator(".md-search-result__link").first.click()
    site_page.wait_for_url("**/tidu/?h=*")
    # Material highlights once the new page has loaded the search manifest.
    site_page.wait_for_selector("article mark[data-md-highlight]")
    marks = site_page.locator("article mark[data-md-highlight]").all_inner_texts()
    assert "显存" in marks


def test_keyboard_shortcut_opens_search_and_enter_goes_to_the_best_result(site_page: Any) -> None:
    site_page.locator("body").press("s")
    assert site_page.evaluate("document.activeElement.classList.contains('md-search__input')")
    search(site_page, "PrefixTuning")
    site_page.locator("input.md-search__input").press("Enter")
    site_page.wait_for_url("**/prefix/**")


def test_article_text_reaches_the_snippet_as_text(site_page: Any) -> None:
    assert search(site_page, "网页抓取")[0] == "zangwenben"
    results = site_page.locator(".md-search-result__list")
    assert "<img src=x onerror=alert(1)>" in results.inner_text()
    assert results.locator("img").count() == 0


@pytest.mark.parametrize(
    "query", ["<img src=x onerror=alert(1)>", ".*", "(((", "\\", "[a-z]+$", "注意力" * 3334]
)
def test_hostile_queries_are_inert(site_page: Any, query: str) -> None:
    dialogs: list[str] = []
    site_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    search(site_page, query, paste=len(query) > 100)
    results = site_page.locator(".md-search-result__list")
    assert results.locator("img, script").count() == 0
    assert dialogs == []
    assert site_page.locator("input.md-search__input").input_value() == query


def test_a_long_paste_still_finds_articles(site_page: Any) -> None:
    assert search(site_page, "注意力机制" * 2000, paste=True)[0] == "zhuyili"


def test_sample_site_search_works_under_a_project_sub_path(
    sample_site: Path, serve: Any, page: Any
) -> None:
    # GitHub Pages serves a project site under /REPO/: the worker, the engine and every
    # shard must be found there. The query is an article's own title, read from content/.
    from zhiku.articles import parse_article

    found = []
    for path in sorted((ROOT / "content").glob("*.md")):
        article = parse_article(path.name, path.read_text(encoding="utf-8"))
        if article:
            found.append(article)
    assert found, "the sample site has no articles"
    article = found[len(found) // 2]
    page.goto(serve(sample_site, "/repo/"))
    slugs = search(page, article.title)
    assert slugs[0] == article.slug
    assert page.zhiku_failed == [] and page.zhiku_offsite == []
    assert page.zhiku_console_errors == []

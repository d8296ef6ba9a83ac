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

from zhiku.search.shards import FORMAT

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
    "lvse": ("绿色计算与能耗", ["能耗"], "绿色计算关注训练的能耗与碳排放。"),
    "jihuo": (
        "常见的激活函数",
        ["基础"],
        "模型需要非线性的激活函数。ReLU 最常用,Sigmoid 把输出压到零和一之间。",
    ),
    "mubiao": (
        "目标检测综述",
        ["视觉"],
        "目标检测同时给出物体的类别和位置,两阶段方法先提候选框再分类。",
    ),
    "yuanxuexi": (
        "元学习入门",
        ["少样本"],
        "元学习让模型学会快速适应新任务。MAML 是元学习的经典方法,元学习关注学习的过程。",
    ),
    "yuanshuju": (
        "数据整理笔记",
        ["笔记"],
        "每个文件都有元数据。学习资料按主题整理,学习笔记写在元数据旁边,方便以后学习和复习。"
        "学习时先看目录,再学习细节。",
    ),
    "kmp": ("KMP 字符串匹配", ["字符串"], "前缀函数记录最长相等前后缀,失配时模式串回退。"),
    "zifuchuan": (
        "字符串算法总结",
        ["字符串"],
        "常见的字符串匹配算法有暴力法、KMP 和 Z 函数。KMP 用前缀函数避免回退,KMP 代码短,"
        "KMP 也常考,Z 函数和 KMP 思路相近。",
    ),
}
# Thirteen notes on one subject: more than a page of results.
NOTES = {
    f"guiyihua-{n}": (f"批量归一化笔记（{n}）", ["归一化"], f"第{n}篇:批量归一化让训练更稳定。")
    for n in range(1, 14)
}
CATEGORIES = {
    "transformer": "NLP",
    "zhuyili": "NLP",
    "flash": "Deep Learning",
    "tidu": "Deep Learning",
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
    for day, (slug, (title, tags, body)) in enumerate({**ARTICLES, **NOTES}.items(), start=1):
        front = f"title: {json.dumps(title, ensure_ascii=False)}\ndate: 2026-01-{day:02d}\n"
        front += f"tags: {json.dumps(tags, ensure_ascii=False)}\n"
        if slug in CATEGORIES:
            front += f"category: {CATEGORIES[slug]}\n"
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
META = ".md-search-result__meta"
ALL_13 = "document.querySelectorAll('.md-search-result__item').length === 13"
LINKS = """els => els.filter(a => a.classList.contains('md-search-result__link'))
  .map(a => new URL(a.href).pathname.split('/').filter(Boolean).pop())"""


def test_search_box_is_materials_and_loads_no_lunr(site_page: Any, search_site: Path) -> None:
    assert site_page.locator("input.md-search__input").is_visible()
    assert not (search_site / "assets" / "javascripts" / "lunr").exists()
    manifest = json.loads((search_site / "search" / "search_index.json").read_text("utf-8"))
    assert manifest["docs"] == [] and manifest["config"]["zhiku"]["format"] == FORMAT


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


def meta_says(page: Any, text: str) -> str:
    """Wait until the result line holds ``text`` (the panel writes it); return the line."""
    page.wait_for_function(
        "t => document.querySelector('.md-search-result__meta').textContent.includes(t)", arg=text
    )
    return str(page.locator(META).inner_text())


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("zhuyili", "zhuyili"),
        ("zhu yi li", "zhuyili"),
        ("zyl", "zhuyili"),
        ("tidu jiancha", "tidu"),
        ("flash注意力", "flash"),
        ("lüse", "lvse"),
        ("lvse", "lvse"),
        ("lǜsè", "lvse"),
    ],
)
def test_pinyin_and_initials_find_the_han_words(site_page: Any, query: str, slug: str) -> None:
    assert search(site_page, query)[0] == slug


def test_pinyin_matches_rank_below_the_han_word_typed(site_page: Any) -> None:
    results = search(site_page, "注意力")
    assert search(site_page, "zhuyili") == results
    han = site_page.locator(".md-search-result__article").first.get_attribute("data-md-score")
    search(site_page, "注意力")
    exact = site_page.locator(".md-search-result__article").first.get_attribute("data-md-score")
    assert float(han or 0) < float(exact or 0)  # han holds the pinyin query's score


def test_object_prototype_names_are_searched_as_words(site_page: Any) -> None:
    # Regression: "constructor" threw in the engine and the list stayed as it was.
    for query in ("constructor", "toString", "__proto__"):
        assert search(site_page, query) == []
        assert "没有找到" in meta_says(site_page, "没有找到")
    assert search(site_page, "Transformer constructor")[0] == "transformer"


def test_a_word_the_site_never_uses_is_an_honest_miss(site_page: Any) -> None:
    # Regression: 量子计算 listed ten articles that each held the character 量.
    assert search(site_page, "量子") == []
    assert "没有找到" in meta_says(site_page, "没有找到")
    assert "量子" in site_page.locator(".zk-search-note").inner_text()
    # With a word the site does use: those articles, each marked as missing 量子, and said so.
    assert set(search(site_page, "量子计算")) == {"lvse", "flash", "tidu"}  # all hold 计算
    missing = site_page.locator(".md-search-result__terms del").all_inner_texts()
    assert missing == ["量子"] * 3
    assert "没有找到包含“量子”的文章" in site_page.locator(".zk-search-note").inner_text()


def test_a_miss_suggests_terms_the_index_knows(site_page: Any) -> None:
    assert search(site_page, "transformr") == []
    site_page.locator(".zk-search-note button", has_text="transformer").click()
    assert site_page.locator("input.md-search__input").input_value() == "transformer"
    meta_says(site_page, "共")
    assert search_results(site_page)[0] == "transformer"


def search_results(page: Any) -> list[str]:
    page.wait_for_selector(".md-search-result__item")
    return list(page.eval_on_selector_all(".md-search-result__item a", LINKS))


def test_count_is_stated_and_more_results_load(site_page: Any) -> None:
    assert len(search(site_page, "归一化")) == 10
    assert meta_says(site_page, "共 13 篇") == "共 13 篇"
    more = site_page.locator(".zk-search-more")
    assert more.inner_text() == "显示更多（还有 3 篇）"
    more.click()
    site_page.wait_for_function(
        "document.querySelectorAll('.md-search-result__item').length === 13"
    )
    slugs = search_results(site_page)
    assert sorted(slugs) == sorted(NOTES)
    assert more.is_hidden()


def test_filter_chips_narrow_the_results_and_show_counts(site_page: Any) -> None:
    search(site_page, "注意力")
    chip = site_page.locator(".zk-chip[data-kind=category][data-name=NLP]")
    assert chip.inner_text().replace("\n", "") == "NLP2"
    chip.click()
    assert site_page.locator("input.md-search__input").input_value() == "注意力 分类:NLP"
    meta_says(site_page, "共 2 篇")
    assert sorted(search_results(site_page)) == ["transformer", "zhuyili"]
    # Pressed again, the chip takes its filter out.
    site_page.locator(".zk-chip[data-kind=category][data-name=NLP]").click()
    assert site_page.locator("input.md-search__input").input_value() == "注意力"


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("注意力 分类:NLP", ["transformer", "zhuyili"]),
        ("注意力 category:nlp", ["transformer", "zhuyili"]),
        ("标签:推理加速", ["flash"]),
        ("tag:Transformer", ["transformer"]),
        ("显存 分类：Deep Learning", []),  # a name with a space needs quotes
        ("显存 分类:“Deep Learning”", ["flash", "tidu"]),
    ],
)
def test_typed_filters(site_page: Any, query: str, slugs: list[str]) -> None:
    assert sorted(search(site_page, query)) == slugs


def test_a_tag_page_offers_search_within_the_tag(search_site: Path, serve: Any, page: Any) -> None:
    page.goto(serve(search_site) + "tags/")
    page.locator(".zk-index a", has_text="归一化").first.click()
    page.locator("a.zk-search-within").click()
    page.wait_for_url("**/?q=*")
    page.wait_for_function("document.querySelector('input.md-search__input').value !== ''")
    assert page.locator("input.md-search__input").input_value() == "标签:归一化"
    meta_says(page, "共 13 篇")


def test_search_works_from_disk(search_site: Path, browser: Any) -> None:
    # Opened as file://, no worker can start; the panel runs the engine on script twins.
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((search_site / "index.html").as_uri())
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("zhuyili")
        page.wait_for_selector(".md-search-result__item")
        assert search_results(page)[0] == "zhuyili"
        assert meta_says(page, "共").startswith("共")
        box.fill("归一化")
        box.press("End")
        meta_says(page, "共 13 篇")
        page.locator(".zk-search-more").click()
        page.wait_for_function(ALL_13)
        assert errors == []
    finally:
        context.close()


def test_from_disk_without_the_index_the_box_says_why(
    search_site: Path, browser: Any, tmp_path: Path
) -> None:
    import shutil

    site = tmp_path / "site"
    shutil.copytree(search_site, site)
    (site / "search" / "search_index.js").unlink()
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((site / "index.html").as_uri())
        page.locator("input.md-search__input").click()
        assert "无法搜索" in meta_says(page, "无法搜索")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("tidujianchadian", ["tidu"]),  # 梯度 and 检查点: two words of the index, adjacent
        ("tdjcd", ["tidu"]),  # their initials
        ("tidujcd", ["tidu"]),  # full pinyin, then initials
        ("ti1du4jian3cha2dian3", ["tidu"]),  # tone digits
        ("梯度jianchadian", ["tidu"]),  # a Han prefix
        ("jihuohanshu", ["jihuo"]),
        ("jhhs", ["jihuo"]),
        ("mubiaojiance", ["mubiao"]),
        ("mbjc", ["mubiao"]),
        ("zhuyilijz", ["zhuyili"]),
        ("zhuyilijizhi", ["zhuyili"]),
    ],
)
def test_unspaced_pinyin_and_initials_find_exactly_the_article(
    site_page: Any, query: str, slugs: list[str]
) -> None:
    assert search(site_page, query) == slugs


def test_two_initials_alone_find_nothing(site_page: Any) -> None:
    assert search(site_page, "jc") == []


def test_the_exact_word_outranks_its_characters_scattered(site_page: Any) -> None:
    # yuanshuju says 元数据 and 学习 often, never 元学习.
    assert search(site_page, "元学习")[0] == "yuanxuexi"


def test_a_title_match_outranks_a_page_that_mentions_the_word_more(site_page: Any) -> None:
    assert search(site_page, "KMP") == ["kmp", "zifuchuan"]


def results_for(page: Any, slug: str) -> None:
    page.wait_for_function(
        "s => [...document.querySelectorAll('.md-search-result__item a')]"
        ".some(a => new URL(a.href).pathname.includes('/' + s + '/'))",
        arg=slug,
    )


def test_text_pasted_without_a_key_searches_and_clearing_clears(site_page: Any) -> None:
    # A paste from the context menu or by touch fires `input` and no key event.
    box = site_page.locator("input.md-search__input")
    box.click()
    paste = """(el, text) => { el.value = text;
      el.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'})); }"""
    box.evaluate(paste, "梯度检查点")
    results_for(site_page, "tidu")
    box.evaluate(paste, "激活函数")  # a second paste replaces the first results
    results_for(site_page, "jihuo")
    assert search_results(site_page)[0] == "jihuo"
    box.evaluate(paste, "")
    site_page.wait_for_function("!document.querySelector('.md-search-result__item')")
    assert site_page.locator(".zk-search-chips").is_hidden()


def test_an_ime_composition_end_searches(site_page: Any) -> None:
    box = site_page.locator("input.md-search__input")
    box.click()
    box.evaluate(
        """el => {
          el.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true}));
          el.value = 'zhuyili';
          el.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true}));
          el.value = '注意力';
          el.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true}));
          el.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '注意力'}));
        }"""
    )
    results_for(site_page, "zhuyili")
    assert search_results(site_page)[0] == "zhuyili"


def test_back_and_forward_to_a_query_address_search_it(
    search_site: Path, serve: Any, page: Any
) -> None:
    page.goto(serve(search_site) + "?q=" + "注意力")
    results_for(page, "zhuyili")
    page.evaluate("history.pushState({}, '', '?q=' + encodeURIComponent('激活函数'))")
    page.go_back()
    page.go_forward()
    page.wait_for_function("document.querySelector('input.md-search__input').value === '激活函数'")
    results_for(page, "jihuo")
    assert search_results(page)[0] == "jihuo"
    page.go_back()
    page.wait_for_function("document.querySelector('input.md-search__input').value === '注意力'")
    results_for(page, "zhuyili")

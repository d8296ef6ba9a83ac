"""The body ingest writes, rendered through the real Markdown extensions of mkdocs.yml."""

from __future__ import annotations

import html
import html.parser
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from zhiku.ingest.body import escape_prose, render_body
from zhiku.ingest.rules import Rules

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def to_html() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )


class _Elements(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


def elements(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


ALLOWED = {"p", "span", "a", "script", "div", "code"}

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[点我](javascript:alert(3))",
    "![图](javascript:alert(3))",
    "<https://evil.example/>",
    "{: onclick=alert(4) }",
    "**粗体** {: #id .cls onclick=alert(4)}",
    "\\( </script><script>alert(5)</script> \\)",
    "\\[ </script><img src=x onerror=alert(6)> \\]",
    "$$ </script><svg onload=alert(7)> $$",
    "\\begin{x} </script><script>alert(8)</script> \\end{x}",
    '<div onmouseover="alert(9)">块</div>',
    "<!-- 注释 --> <style>body{display:none}</style>",
    "# 标题\n\n- 列表\n\n> 引用\n\n```\ncode\n```",
    "!!! danger 不是提示框",
    "&lt;script&gt;alert(10)&lt;/script&gt;",
    '🔖 javascript:alert(11) 🔖 https://example.org/a"onmouseover="alert(12)',
    "[Math] [代码] <iframe src=//evil>",
]


@pytest.mark.parametrize("scraped", HOSTILE)
def test_scraped_markup_never_becomes_live_html(
    scraped: str, rules: Rules, to_html: markdown.Markdown
) -> None:
    body = render_body(f"概述 {scraped} 结束...", rules, source=None, truncated=True)
    page = elements(to_html.reset().convert(body))
    for tag, attrs in page.elements:
        assert tag in ALLOWED, (tag, body)
        assert not any(name.startswith("on") or name == "style" for name in attrs), attrs
        assert all("javascript" not in (v or "") for v in attrs.values()), attrs
        if tag == "script":
            assert attrs.get("type", "").startswith("math/tex"), attrs
        if tag == "a":
            assert (attrs.get("href") or "").startswith("https://"), attrs
    assert not any("<" in text for text in page.script_text)


@settings(max_examples=200, deadline=None)
@given(
    scraped=st.lists(
        st.sampled_from(
            [
                *"<>&\"'`*_[](){}#!\\$-+=.:;|~/ a1中文\n",
                "\\(",
                "\\)",
                "\\[",
                "\\]",
                "$$",
                "<script>",
                "</script>",
                "onerror=",
                "[代码]",
                "💡",
                "🔖 https://e.org/x",
                "...",
            ]
        ),
        max_size=30,
    ).map("".join)
)
# Found by this test: a display formula inside an inline one put its markup in a script.
@example(scraped="\\($$<$$\\)")
@example(scraped="\\[a \\( b < c \\]")
# Found by this test: "==" marks text since the sample site reads pymdownx.mark.
@example(scraped="a==b==c")
def test_any_scraped_text_renders_as_text(
    scraped: str, rules: Rules, to_html: markdown.Markdown
) -> None:
    page = elements(to_html.reset().convert(render_body(scraped, rules)))
    for tag, attrs in page.elements:
        assert tag in ALLOWED
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        if tag == "script":
            assert attrs.get("type", "").startswith("math/tex")
    assert not any("<" in text for text in page.script_text)


def test_math_stays_intact_for_python_markdown_math(
    rules: Rules, to_html: markdown.Markdown
) -> None:
    scraped = (
        r"目标函数 \[L_{\theta}=\mathbb{E}_{z\sim p_{\theta}(z)}[f(z)]\tag{1}\] "
        r"其中 \(f(z)\) 对应奖励, \(\boldsymbol{z}\) 与 \(\text{连续情形}\)。"
    )
    body = render_body(scraped, rules)
    assert r"\[L_{\theta}=\mathbb{E}_{z\sim p_{\theta}(z)}[f(z)]\tag{1}\]" in body
    page = elements(to_html.reset().convert(body))
    assert page.script_text == [
        r"L_{\theta}=\mathbb{E}_{z\sim p_{\theta}(z)}[f(z)]\tag{1}",
        "f(z)",
        r"\boldsymbol{z}",
        r"\text{连续情形}",
    ]


def test_less_than_inside_math_is_neutralised_not_lost(rules: Rules) -> None:
    body = render_body(r"\( a<b>c \)", rules)
    assert body == "\\( a\\lt b\\gt c \\)\n"


def test_underscores_and_stars_in_prose_are_not_emphasis(
    rules: Rules, to_html: markdown.Markdown
) -> None:
    scraped = "就必须使 x_1w_1 + x_2w_2 +....+x_nw_n T 且 a*b*c 与 use_rmpad 和 _unpad_input_"
    page = to_html.reset().convert(render_body(scraped, rules))
    assert "<em>" not in page and "<strong>" not in page
    # The formula that lost its delimiters is typeset; the rest stays text.
    assert elements(page).script_text == ["x_1w_1 + x_2w_2 +....+x_nw_n T"]
    assert "且 a*b*c 与 use_rmpad 和 _unpad_input_" in html.unescape(page)


KIMI = (
    "问题设定 给定训练数据集 D = \\{(x_i, y^_i)\\}_{i=1}^n ,其中包含问题 x_i 和对应的真实答案 "
    "y^_i ,目标是训练一个策略模型。在复杂推理场景中,思维链(CoT)方法提出使用一系列中间步骤 "
    "z = (z_1, z_2, ..., z_m) 来连接问题 x 和答案 y ,每个 z_i 是解决问题的重要中间步骤。"
)


def test_formulas_that_lost_their_delimiters_are_typeset(
    rules: Rules, to_html: markdown.Markdown
) -> None:
    page = to_html.reset().convert(render_body(KIMI, rules))
    assert elements(page).script_text == ["x_i", "z = (z_1, z_2, ..., z_m)", "z_i"]
    # "问题 x 和答案 y": one-letter variables with no TeX about them stay text.
    assert "来连接问题 x 和答案 y ," in html.unescape(page)


def test_a_formula_that_cannot_be_typeset_is_a_lost_mark_with_its_text(
    rules: Rules, to_html: markdown.Markdown
) -> None:
    page = to_html.reset().convert(render_body(KIMI, rules))
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    # "y^_i" is a double script (the scrape ate a "*"): KaTeX cannot typeset it.
    assert "[公式在抓取中丢失] D = \\{(x_i, y^_i)\\}_{i=1}^n ," in text
    assert "真实答案 [公式在抓取中丢失] y^_i ," in text
    marks = [a for t, a in elements(page).elements if t == "span"]
    assert marks.count({"class": "zk-lost"}) == 2


def test_a_formula_cut_by_the_end_of_the_excerpt_is_marked_lost(
    rules: Rules, to_html: markdown.Markdown
) -> None:
    body = render_body("由此得到 z = (z_1, z_2...", rules, truncated=True)
    page = to_html.reset().convert(body)
    assert elements(page).script_text == []
    assert "[公式在抓取中丢失] z = (z_1, z_2" in html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize(
    "prose",
    [
        "基于 use_rmpad 消除了 padding,batch_size 设为 1",
        "执行 python pdb_demo.py 与 __init__ 和 ob_ref字段",
        "见 https://github.com/a/x_i 与 www.x_1.org",
        "路径 /usr/lib/x_1/a_b.py 和 C:\\Users\\x_1",
        "the loss is computed in a batch, as we do it",
        "DeepSeek-V3 与 Kimi k1.5 和 GPT2(Table2Text) 以及 O(n) 和 F1",
    ],
)
def test_code_words_paths_urls_and_prose_are_not_formulas(
    prose: str, rules: Rules, to_html: markdown.Markdown
) -> None:
    page = to_html.reset().convert(render_body(prose, rules))
    assert elements(page).script_text == []
    assert "zk-lost" not in page


def test_holes_become_visible_lost_marks(rules: Rules, to_html: markdown.Markdown) -> None:
    page = to_html.reset().convert(
        render_body("如下代码所示 [代码] 公式 [公式] 与 [Math] 。", rules)
    )
    marks = [(t, a) for t, a in elements(page).elements if t == "span"]
    assert [a["class"] for _, a in marks] == ["zk-lost"] * 3
    assert html.unescape(page).count("[代码在抓取中丢失]") == 1
    assert html.unescape(page).count("[公式在抓取中丢失]") == 2


def test_a_cut_excerpt_ends_visibly_and_links_to_its_source(
    rules: Rules, to_html: markdown.Markdown
) -> None:
    body = render_body("正文被截断...", rules, source="https://arxiv.org/abs/1", truncated=True)
    assert "..." not in body
    page = elements(to_html.reset().convert(body))
    assert ("p", {"class": "zk-truncated"}) in page.elements
    assert ("a", {"class": "zk-source", "href": "https://arxiv.org/abs/1"}) in page.elements


def test_bookmark_becomes_a_source_link_and_tip_an_admonition(
    rules: Rules, to_html: markdown.Markdown
) -> None:
    body = render_body(
        "💡 随机微分 在DDPM中,扩散过程被划分为了固定的T步。 "
        "🔖 https://arxiv.org/pdf/2405.09818 正文",
        rules,
    )
    assert body.startswith('!!! tip "提示"\n\n    随机微分\n')
    page = elements(to_html.reset().convert(body))
    assert ("div", {"class": "admonition tip"}) in page.elements
    assert (
        "a",
        {"class": "zk-source", "href": "https://arxiv.org/pdf/2405.09818"},
    ) in page.elements


def test_a_sentence_end_followed_by_a_space_starts_a_paragraph(rules: Rules) -> None:
    body = render_body("第一段结束。 第二段 \\( a。 b \\) 仍是第二段。", rules)
    assert body == "第一段结束。\n\n第二段 \\( a。 b \\) 仍是第二段。\n"


def test_escape_prose_keeps_plain_chinese_untouched() -> None:
    assert (
        escape_prose("注意力机制(Attention),复杂度 O(n)。") == "注意力机制(Attention),复杂度 O(n)。"
    )


def test_plain_text_of_an_ingested_body_reads_as_the_scrape(rules: Rules) -> None:
    from zhiku.text.excerpt import plain_text

    scraped = "概述 <script>x</script> 与 [链接](y) 以及 a_1*b & c [代码] 结束 y^_i 。"
    assert plain_text(render_body(scraped, rules)) == (
        "概述 <script>x</script> 与 [链接](y) 以及 [公式] & c [代码在抓取中丢失] 结束 [公式]。"
    )

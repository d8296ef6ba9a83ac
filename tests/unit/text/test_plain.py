"""Plain text of a body: what a reader reads, never Markdown, HTML or TeX source."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiku.text.plain import FORMULA, excerpt_source, is_boilerplate, plain_text


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        # $…$ math (the usual rules), prices and escaped dollars stay text.
        (
            "设协方差为 $\\boldsymbol{\\Sigma}$，均值为 $\\mu$。",
            f"设协方差为 {FORMULA}，均值为 {FORMULA}。",
        ),
        ("门票 $5 and $10，比 \\$3 贵。", "门票 $5 and $10，比 $3 贵。"),
        ("给定 $n$ 个点。", "给定 n 个点。"),  # a formula that reads as text
        (
            "$$\n\\mathcal{L} = -\\sum_i y_i \\log p_i\n$$\n\n其中 $y_i$ 是标签。",
            f"{FORMULA} 其中 {FORMULA} 是标签。",
        ),
        # An escaped bracket in a sentence is a bracket.
        ("题目 \\[NOI2014\\] 起床困难综合症。", "题目 [NOI2014] 起床困难综合症。"),
        # Formulas in a row are one mark; so are the page's lost-formula marks.
        ("由 $\\alpha$、$\\beta$ 和 $\\gamma$ 决定", f"由 {FORMULA} 和 {FORMULA} 决定"),
        ("$\\alpha$ $\\beta$ $\\gamma$ 依次", f"{FORMULA} 依次"),
        (
            '复杂度 <span class="zk-lost">&#91;公式在抓取中丢失&#93;</span> '
            '<span class="zk-lost">&#91;公式在抓取中丢失&#93;</span> 级别',
            "复杂度 [公式在抓取中丢失] 级别",
        ),
        # No wiki link inside math or code.
        ("环 $R[[x]]$ 与 `[[不是链接]]`", f"环 {FORMULA} 与 [[不是链接]]"),
        # Headings, lists and tasks.
        (
            "## 背景\n\n- 列表第一项\n- 列表第二项\n* 星号\n+ 加号",
            "背景 列表第一项 列表第二项 星号 加号",
        ),
        ("1. 第一步\n2) 第二步\n- [ ] 待办\n- [x] 已办", "第一步 第二步 待办 已办"),
        ("Setext 标题\n===\n\n正文", "Setext 标题 正文"),
        # Tables keep their cells' text, never pipes or rules.
        (
            "| 方法 | 显存 | 公式 |\n|:---|---:|:-:|\n"
            "| 检查点 | 低 | $O(\\sqrt{n})$ |\n| 全存 | 高 | $|x|$ |",
            f"方法 显存 公式 检查点 低 {FORMULA} 全存 高 |x|",
        ),
        ("方法 | 显存\n--- | ---\n检查点 | 低", "方法 显存 检查点 低"),
        ("a \\| b 不是表格", "a | b 不是表格"),
        # Quotes, callouts and admonitions.
        ("> 引用的话\n>\n> > 嵌套的话", "引用的话 嵌套的话"),
        ("> [!NOTE] 注意\n> 这是提示内容。", "这是提示内容。"),
        ("> [!tip]- 折叠\n> 内容", "内容"),
        # Obsidian's hidden comments and block ids.
        ("正文%%私下的批注%%继续。\n\n%%\n多行批注\n%%\n\n一段话 ^a1b2c3", "正文 继续。 一段话"),
        (
            '!!! note "笔记标题"\n    笔记内容。\n\n???+ tip\n    提示内容。',
            "笔记内容。 提示内容。",
        ),
        ('=== "Python"\n\n    代码说明', "代码说明"),
        # Links, wiki links, images, URLs, footnotes.
        (
            '见 [论文](https://arxiv.org/abs/1706.03762 "标题") 与 [维基](https://x.org/a_(b))。',
            "见 论文 与 维基。",
        ),
        (
            "参见 [[注意力机制]] 和 [[Transformer|变换器]]、[[笔记#小节]]。",
            "参见 注意力机制 和 变换器、笔记。",
        ),
        ("图 ![示意图](img/a.png) 与 ![[diagram.png]] 与 ![alt][ref]", "图 与 与"),
        ("地址 https://example.com/a?b=1。下一句", "地址。下一句"),
        ("正文[^1]，再一句[^note]。\n\n[^1]: 脚注的文字。", "正文，再一句。 脚注的文字。"),
        ("[ref]: https://example.com\n正文", "正文"),
        ('[img1]: ./images/a.png "图一"\n正文', "正文"),
        ("[注]: 这里很重要。", "[注]: 这里很重要。"),
        # A URL goes with the label that announces it, and leaves no colons behind.
        ("代码地址: https://github.com/a/b 背景介绍", "背景介绍"),
        ("GenerationGithub:https://github.com/x/y: Continus", "GenerationGithub: Continus"),
        ("用 std::vector 存图", "用 std::vector 存图"),
        ("<https://example.com> 自动链接", "自动链接"),
        # HTML, comments, Hexo/Jekyll tags, TOC, attribute lists.
        ('<div align="center">居中</div><br/>换行', "居中 换行"),
        ("若 a < b 且 c > d", "若 a < b 且 c > d"),
        ("<!-- 草稿：待补充 -->正文", "正文"),
        ("{% note info %}\nHexo 提示块。\n{% endnote %}", "Hexo 提示块。"),
        ("{% asset_img arch.png 架构图 %}\n正文", "正文"),
        ("{% cq %}人生苦短，我用 Python。{% endcq %}", "人生苦短，我用 Python。"),
        ("{% codeblock lang:python %}\nprint('$x$')\n{% endcodeblock %}\n后文", "后文"),
        ("{% highlight ruby %}\nputs 1\n{% endhighlight %}", ""),
        ("[TOC]\n\n正文", "正文"),
        ("## 小节 {#sec-a}\n\n段落 {: .note}", "小节 段落"),
        # Emphasis, but not underscores inside words.
        (
            "**重参数**与*技巧*、~~删除~~、==高亮==、batch_size",
            "重参数与技巧、删除、高亮、batch_size",
        ),
        # Code blocks are nothing; inline code is its text.
        (
            "先看代码：\n\n```python\nfor i in range(10):\n    print(i)\n```\n\n再看 `dict.get`。",
            "先看代码： 再看 dict.get。",
        ),
        # Character references are text.
        ("Q&amp;A &lt;研究&gt; &#91;1&#93;", "Q&A <研究> [1]"),
        # Hard-wrapped Chinese lines join without a space.
        (
            "第一行的中文\n接着第二行。\nThen English\ncontinues.",
            "第一行的中文接着第二行。 Then English continues.",
        ),
    ],
)
def test_plain_text_is_what_a_reader_reads(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


def test_a_hexo_post_reads_from_its_first_sentence() -> None:
    post = (
        "本文首发于我的知乎专栏，转载请注明出处。\n\n"
        "[TOC]\n\n"
        "## 目录\n\n- [背景](#背景)\n- [方法](#方法)\n\n"
        "## 背景\n\n"
        "强化学习中的策略梯度方法直接优化期望回报 $J(\\theta)$。\n\n"
        "<!-- more -->\n\n"
        "## 方法\n\n正文很长。"
    )
    assert excerpt_source(post) == f"强化学习中的策略梯度方法直接优化期望回报 {FORMULA}。"


def test_without_more_the_excerpt_source_is_the_whole_readable_text() -> None:
    body = "第一段。\n\n![图](a.png)\n\n[原文链接](https://example.com)\n\n第二段。"
    assert excerpt_source(body) == "第一段。 第二段。"


def test_an_empty_part_before_more_does_not_empty_the_excerpt() -> None:
    assert excerpt_source("## 标题\n\n<!-- more -->\n\n正文在后面。") == "正文在后面。"


def test_more_inside_code_is_not_the_separator() -> None:
    body = "开头。\n\n```html\n<!-- more -->\n```\n\n中间。\n\n<!--more-->\n\n后面。"
    assert excerpt_source(body) == "开头。 中间。"


def test_the_references_section_is_not_an_excerpt() -> None:
    body = "## 参考文献\n\n1. Vaswani et al. Attention is all you need.\n\n## 引言\n\n正文。"
    assert excerpt_source(body) == "正文。"


def test_a_body_of_only_boilerplate_still_has_an_excerpt() -> None:
    # Better the references than nothing: the section skip gives way.
    body = "## 参考资料\n\n论文一篇，值得一读。"
    assert excerpt_source(body) == "论文一篇，值得一读。"


@pytest.mark.parametrize(
    "text",
    [
        "目录",
        "文章目录",
        "参考文献",
        "References",
        "Table of Contents",
        "本文首发于微信公众号「某某」。",
        "版权声明：本文为博主原创文章，遵循 CC 4.0 BY-SA 版权协议，"
        "转载请附上原文出处链接及本声明。",
        "原文链接：",
        "Copyright © 2021 某某. All rights reserved.",
        "未经允许不得转载。",
        "本部分内容转载并修改自某篇博文，已取得原作者授权同意．",
        "author: Ir1d, sshwy, ouuan, Xeonacid, partychicken, Marcythm, StudyingFather",
        "作者：某某",
    ],
)
def test_boilerplate(text: str) -> None:
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "本文介绍开源许可证与版权法的关系，以及 GPL 的传染性。",
        "梯度检查点用计算换显存。",
        "参考前文的推导，可以得到下面的结论。",
    ],
)
def test_not_boilerplate(text: str) -> None:
    assert not is_boilerplate(text)


def test_an_obsidian_line_of_tags_is_search_text_but_no_excerpt() -> None:
    note = "#机器学习 #笔记\n\n用 C# 写的第 #12 号示例。"
    assert plain_text(note) == "#机器学习 #笔记 用 C# 写的第 #12 号示例。"
    assert excerpt_source(note) == "用 C# 写的第 #12 号示例。"


def test_ingest_may_keep_urls_for_the_topics_in_them() -> None:
    scrape = "代码链接: https://github.com/facebookresearch/llama 背景"
    assert plain_text(scrape) == "背景"
    assert plain_text(scrape, urls=True) == scrape


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        # An indented code block after a paragraph is code.
        (
            "安装依赖：\n\n    pip install torch==2.1\n    python train.py --lr 3e-4\n\n后文。",
            "安装依赖： 后文。",
        ),
        ("\tfor (int i = 0; i < n; ++i) {}\n\n正文。", "正文。"),
        # Indented text inside a list item, an admonition or a footnote is text.
        (
            "- 第一项\n\n    第一项的第二段 with English words\n\n结尾。",
            "第一项 第一项的第二段 with English words 结尾。",
        ),
        ("!!! warning\n\n    注意 GPU memory usage", "注意 GPU memory usage"),
        # A paragraph indented with spaces (a first-line indent) is Chinese prose.
        (
            "    这是用空格缩进的段落，读者看到的是文字。",
            "这是用空格缩进的段落，读者看到的是文字。",
        ),
    ],
)
def test_indented_code_is_nothing_but_indented_text_stays(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


_PROSE = st.lists(
    st.sampled_from(["注意力", "显存", "训练", "LoRA", "的", "，", "。", " $5 and $10 ", "\\$3"]),
    min_size=1,
    max_size=6,
).map("".join)
_PIECE = st.one_of(
    _PROSE,
    st.sampled_from(["$\\alpha_i$", "$$x^2$$", "\\(\\beta\\)", "$R[[x]]$", "`dict.get`"]),
    st.sampled_from(
        ["[[注意力机制]]", "[[笔记#小节|别名]]", "[链接](https://x.org/a)", "![图](a.png)"]
    ),
    st.sampled_from(['<span class="zk-lost">&#91;公式在抓取中丢失&#93;</span>', "<b>粗</b>"]),
)
_LINE = st.lists(_PIECE, min_size=1, max_size=5).map(" ".join)
_BLOCK = st.one_of(
    _LINE,
    _LINE.map(lambda line: f"- {line}"),
    _LINE.map(lambda line: f"1. {line}"),
    _LINE.map(lambda line: f"> {line}"),
    _LINE.map(lambda line: f"| {line} | 单元 |\n|---|---|\n| {line} | 单元 |"),
    _LINE.map(lambda line: f'!!! note "标题"\n    {line}'),
    _LINE.map(lambda line: f"> [!TIP] 提示\n> {line}"),
    _LINE.map(lambda line: f"```python\n{line}\n```"),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=6).map("\n\n".join))
def test_search_text_holds_no_source(markdown: str) -> None:
    text = plain_text(markdown)
    for source in ("[[", "]]", "|---", "| ", "!!!", "[!TIP]", "](", "<b>", "<span", "\\alpha"):
        assert source not in text, (source, text)
    assert not re.search(r"(?:^|\s)(?:[-*+]|\d+\.|>)\s", text), text
    assert not re.search(r"\$(?!\d)", text), text  # prices only
    assert not re.search(r"\[公式[^\]]*\][\s,，、]*\[公式", text), text


def test_obsidian_callouts_with_a_look_after_the_bar_are_dropped_like_any_callout() -> None:
    text = plain_text("> [!tip|wide] 小技巧\n> 内容在这里。\n\n> [!NOTE|no-icon]+ 标题\n> 第二。")
    assert "[!" not in text and "wide" not in text and "no-icon" not in text
    assert "内容在这里。" in text and "第二。" in text

"""One Markdown file cannot hang a build: past a limit it is one line saying what to do."""

from __future__ import annotations

import pytest

from zhiku.articles.limits import MAX_BYTES, MAX_FENCES, MAX_LINES, MAX_LINK_WORK, check_limits
from zhiku.articles.model import ArticleError

HEAD = "---\ntitle: 长文\ndate: 2026-02-01\n---\n\n"
PROSE = "注意力机制把查询与键的相似度归一化为权重。公式 $QK^\\top$ 见下。\n\n"


def refused(text: str) -> ArticleError:
    with pytest.raises(ArticleError) as err:
        check_limits("content/long.md", text)
    return err.value


def fences(n: int) -> str:
    return "".join(f"```python\nx = {i}\n```\n\n" for i in range(n))


def test_a_page_of_the_largest_size_passes_and_one_byte_more_is_refused() -> None:
    filler = PROSE * (MAX_BYTES // len(PROSE.encode("utf-8")))
    text = HEAD + filler[: MAX_BYTES - len(HEAD.encode("utf-8")) - 400]
    text += "x" * (MAX_BYTES - len(text.encode("utf-8")))
    check_limits("content/long.md", text)
    err = refused(text + "x")
    assert (err.path, err.line) == ("content/long.md", 1)
    assert "at most 1 MiB" in str(err) and "split it into several articles" in str(err)


def test_twenty_megabytes_are_refused_at_once() -> None:
    err = refused(HEAD + PROSE * (20 * 2**20 // len(PROSE.encode("utf-8"))))
    assert str(err).startswith("content/long.md:1: the file is 20.00 MiB")


def test_lines_blank_or_not_are_counted() -> None:
    check_limits("content/long.md", "a" + "\n" * (MAX_LINES - 1))
    err = refused("a" + "\n" * MAX_LINES)
    assert err.line == MAX_LINES + 1 and f"at most {MAX_LINES:,}" in str(err)


def test_fenced_code_blocks_are_counted_and_the_one_too_many_is_named() -> None:
    check_limits("content/long.md", HEAD + fences(MAX_FENCES))
    err = refused(HEAD + fences(MAX_FENCES + 1))
    assert err.line == HEAD.count("\n") + 1 + 4 * MAX_FENCES
    assert f"fenced code block {MAX_FENCES + 1:,}" in str(err)
    # A fence inside a fence is text, not a block of its own; ~~~ fences count too.
    inner = "~~~~markdown\n" + "```\nx\n```\n" * (MAX_FENCES + 5) + "~~~~\n"
    check_limits("content/long.md", inner)


def test_ten_thousand_links_pass_one_per_item_or_paragraph_but_not_in_one_paragraph() -> None:
    items = "".join(f"- [链接 {n}](a.md)\n" for n in range(10_000))
    paragraphs = "".join(f"第 {n} 条：[[CLIP算法原理]]\n\n" for n in range(10_000))
    check_limits("content/long.md", HEAD + items)
    check_limits("content/long.md", HEAD + paragraphs)
    one = "开头。\n\n" + "".join(f"[链接 {n}](a.md) " for n in range(10_000)) + "\n"
    err = refused(HEAD + one)
    assert err.line == HEAD.count("\n") + 3
    assert "10,000 links" in str(err) and "one per item" in str(err)


def test_a_long_paragraph_with_a_few_links_passes() -> None:
    # A scraped article of one 60,000-character paragraph holding 50 links.
    text = "".join(f"{'字' * 1200}[来源 {n}](https://example.org/{n}) " for n in range(50))
    assert 50 * len(text) < MAX_LINK_WORK
    check_limits("content/long.md", HEAD + text + "\n")

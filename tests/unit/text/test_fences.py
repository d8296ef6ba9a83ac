"""Fence info strings of VuePress, VitePress and Docusaurus notes become superfences options."""

from __future__ import annotations

import markdown
from hypothesis import given
from hypothesis import strategies as st

from zhiku.text.fences import convert_fences


def _opener(info: str) -> str:
    return convert_fences(f"```{info}\na = 1\n```\n").split("\n")[0]


def test_highlighted_lines_line_numbers_and_file_names() -> None:
    assert _opener("js{1,4-6}") == '```js hl_lines="1 4-6"'
    assert _opener("js {2}") == '```js hl_lines="2"'
    assert _opener("ts:line-numbers") == '```ts linenums="1"'
    assert _opener("ts:line-numbers=5 {2}") == '```ts linenums="5" hl_lines="2"'
    assert _opener("ts:no-line-numbers") == "```ts"
    assert _opener("js [config.js]") == '```js title="config.js"'
    assert _opener('jsx title="App.jsx" {1,2} showLineNumbers') == (
        '```jsx title="App.jsx" hl_lines="1 2" linenums="1"'
    )


def test_words_for_other_tools_plugins_go() -> None:
    assert _opener("jsx live") == "```jsx"
    assert _opener("python3 runnable noInline") == "```python3"


def test_what_superfences_reads_is_left_as_it_is() -> None:
    for text in (
        "```py\nx\n```\n",
        '```py title="a.py" linenums="1"\nx\n```\n',
        "```python {.lang #id}\nx\n```\n",
        "```\nx\n```\n",
        "    ```mermaid\n    graph LR\n    ```\n",
        "~~~sh\nls\n~~~\n",
    ):
        assert convert_fences(text) is text


def test_fenced_text_that_looks_like_an_opener_is_code() -> None:
    text = "````md\n```js{1}\n````\n"
    assert convert_fences(text) is text


def test_an_indented_fence_in_an_admonition_is_read() -> None:
    assert convert_fences('!!! tip "提示"\n    ```js{1}\n    a\n    ```\n').split("\n")[1] == (
        '    ```js hl_lines="1"'
    )


def test_converted_fences_render_as_highlighted_code() -> None:
    md = markdown.Markdown(extensions=["pymdownx.superfences", "pymdownx.highlight"])
    text = "```js{2} [config.js]\nconst a = 1\nconst b = 2\n```\n"
    broken = md.convert(text)
    assert "<code>js{2}" in broken, "superfences alone gives up on the fence"
    md.reset()
    html = md.convert(convert_fences(text))
    assert '<span class="filename">config.js</span>' in html
    assert '<span class="hll">' in html


LINES = ["```js{1}", "```", "````md", "````", "文", "    ```ts:line-numbers", "~~~", "```py x"]


@given(st.lists(st.sampled_from(LINES)))
def test_lines_are_kept(lines: list[str]) -> None:
    text = "\n".join(lines)
    out = convert_fences(text)
    assert out.count("\n") == text.count("\n")
    assert convert_fences(out) == out

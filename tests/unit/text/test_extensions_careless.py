"""Careless Markdown through every extension the project's mkdocs.yml lists: a page of
half-written lists, quotes, callouts, fences, block ids and wrapped Chinese never makes
the build raise, and converting it twice gives the same page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

SLUGIFY = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"


def _extensions() -> tuple[list[str], dict[str, Any]]:
    text = (Path(__file__).parents[3] / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace(SLUGIFY, "'@slugify@'").replace("!ENV [SITE_URL, ", "[")
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in yaml.safe_load(text)["markdown_extensions"]:
        if isinstance(entry, str):
            names.append(entry)
            continue
        ((name, config),) = entry.items()
        names.append(name)
        configs[name] = {k: v for k, v in (config or {}).items() if v != "@slugify@"}
    return names, configs


NAMES, CONFIGS = _extensions()

_pieces = st.sampled_from(
    [
        "- ",
        "1. ",
        "2. ",
        "  ",
        "    ",
        "\t",
        "\n",
        "\n\n",
        "> ",
        "> [!NOTE] 注意\n",
        '!!! tip "提示"\n',
        "```python\n",
        "```\n",
        "~~~\n",
        "^abc",
        " ^id-1",
        "[[页#^id]]",
        "梯度",
        "下降。",
        "，",
        "English",
        "$x$",
        "$$\n",
        "==高亮==",
        "~~删~~",
        "3~5天",
        "- [ ] ",
        "|a|b|\n|-|-|\n",
        "[^1]",
        "[^1]: 注\n",
        '=== "Tab"\n',
        ":::",
        "<br>",
        "#",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=50).map("".join))
def test_careless_markdown_never_breaks_a_page(text: str) -> None:
    md = markdown.Markdown(extensions=NAMES, extension_configs=CONFIGS)
    first = md.convert(text)
    md.reset()
    assert md.convert(text) == first

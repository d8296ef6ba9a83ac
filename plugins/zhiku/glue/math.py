"""``zhiku.glue.math``: a Markdown extension that makes ``$…$`` formulas explicit.

Listed in ``markdown_extensions`` next to ``mdx_math``, which typesets ``\\( \\)``,
``\\[ \\]`` and ``$$ $$``: before any block is read, :func:`zhiku.text.mathmark.normalize`
writes every ``$…$`` that is math by the usual rules as ``\\(…\\)``, every escaped
bracket in a sentence (``\\[NOI2014\\]``) as the bracketed text, and keeps a formula
over several lines one block (a ``$$`` block of ``\\def`` lines with blank lines between);
``\\$`` is a dollar. The same reading makes excerpts, feeds and search text show each
of these formulas as "[公式]" (``zhiku.text.plain``).
Being a Markdown extension, it runs wherever MkDocs converts a page (the render cache's
workers too), whatever plugins are on.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import strip_tags
from markdown.treeprocessors import Treeprocessor
from mkdocs.exceptions import PluginError

from zhiku.glue.textpass import TextPass
from zhiku.text.mathmark import normalize


class DollarMathExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace is normalised (30), before fenced code is stashed (25).
        md.preprocessors.register(TextPass(md, normalize), "zhiku-dollar-math", 27)
        if "$" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("$")
        # Just after the table of contents is made (toc: 5).
        md.treeprocessors.register(TocMath(md), "zhiku-toc-math", 4)


class TocMath(Treeprocessor):  # type: ignore[misc]
    """Headings' formulas stay formulas in the table of contents.

    The ``toc`` extension names each heading by its text, so ``### $\\Theta(n)$ 建树``
    shows ``\\Theta(n) 建树`` in the sidebar and the phone's 目录. Here a heading that
    holds a formula is named by its text with each formula as the same
    ``<script type="math/tex">`` the page has (toc titles are HTML: MkDocs hands them to
    the theme escaped), which the page's math.js typesets with the rest."""

    def run(self, root: etree.Element) -> None:
        _rename(getattr(self.md, "toc_tokens", None) or [])


_MATH = re.compile(r'(<script type="math/tex">(?:(?!</).)*</script>)', re.DOTALL)


def _text(part: str) -> str:
    """``part`` of a heading's HTML as toc text, keeping a space next to a formula."""
    text: str = strip_tags(part)
    lead = " " if part[:1].isspace() else ""
    trail = " " if part[-1:].isspace() and text else ""
    return lead + text + trail


def _rename(tokens: list[dict[str, Any]]) -> None:
    for token in tokens:
        inner = token.get("html", "")
        if _MATH.search(inner) and not token.get("data-toc-label"):
            # Text as toc makes it (tags stripped, entities kept), formulas as they are.
            parts = _MATH.split(inner)
            token["name"] = "".join(
                part if i % 2 else _text(part) for i, part in enumerate(parts)
            ).strip()
        _rename(token.get("children", []))


def makeExtension(**kwargs: object) -> DollarMathExtension:
    return DollarMathExtension(**kwargs)


def check_site_macros(extra: object) -> None:
    """Stop the build on a ``katex_macros`` under mkdocs.yml's ``extra`` that is not a
    mapping of ``\\name`` to TeX text (math.js hands it to KaTeX on every page)."""
    macros = extra.get("katex_macros") if isinstance(extra, Mapping) else None
    if macros is None:
        return
    if not isinstance(macros, Mapping):
        raise PluginError(
            "mkdocs.yml: extra: katex_macros is not a mapping; write one macro a line, "
            'like `"\\\\RR": "\\\\mathbb{R}"`'
        )
    for name, body in macros.items():
        if not isinstance(name, str) or not isinstance(body, str) or not name.strip("\\"):
            raise PluginError(
                f"mkdocs.yml: extra: katex_macros: {name!r}: {body!r} is not a macro name "
                'and its TeX text; quote both, like `"\\\\RR": "\\\\mathbb{R}"`'
            )

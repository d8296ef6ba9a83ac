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

from collections.abc import Mapping

from markdown import Markdown
from markdown.extensions import Extension
from mkdocs.exceptions import PluginError

from zhiku.glue.textpass import TextPass
from zhiku.text.mathmark import normalize


class DollarMathExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace is normalised (30), before fenced code is stashed (25).
        md.preprocessors.register(TextPass(md, normalize), "zhiku-dollar-math", 27)
        if "$" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("$")


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

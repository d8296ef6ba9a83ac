"""``zhiku.glue.math``: a Markdown extension that makes ``$…$`` formulas explicit.

Listed in ``markdown_extensions`` next to ``mdx_math``, which typesets ``\\( \\)``,
``\\[ \\]`` and ``$$ $$``: before any block is read, :func:`zhiku.text.mathmark.normalize`
writes every ``$…$`` that is math by the usual rules as ``\\(…\\)`` and every escaped
bracket in a sentence (``\\[NOI2014\\]``) as the bracketed text; ``\\$`` is a dollar.
Being a Markdown extension, it runs wherever MkDocs converts a page (the render cache's
workers too), whatever plugins are on.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from zhiku.text.mathmark import normalize


class _Dollars(Preprocessor):  # type: ignore[misc]  # Markdown ships no types
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        changed = normalize(text)
        return lines if changed is text else changed.split("\n")


class DollarMathExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace is normalised (30), before fenced code is stashed (25).
        md.preprocessors.register(_Dollars(md), "zhiku-dollar-math", 27)
        if "$" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("$")


def makeExtension(**kwargs: object) -> DollarMathExtension:
    return DollarMathExtension(**kwargs)

"""``zhiku.glue.callouts``: a Markdown extension for Obsidian/GitHub callouts and
VuePress/VitePress/Docusaurus containers.

Listed in ``markdown_extensions`` (with ``admonition`` and ``pymdownx.details``, which
render what it writes): before any block is read, :func:`zhiku.text.callouts.convert_callouts`
rewrites ``> [!TIP] 标题`` blockquotes and ``::: tip 标题`` containers as ``!!! tip "标题"``
admonitions (``???``/``???+`` when folded), line for line.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

from zhiku.glue.textpass import TextPass
from zhiku.text.callouts import convert_callouts


class CalloutExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace is normalised (30), before $…$ (27) and before fenced code is
        # stashed (25): a fence inside a callout must become a fence inside the admonition.
        md.preprocessors.register(TextPass(md, convert_callouts), "zhiku-callouts", 28)


def makeExtension(**kwargs: object) -> CalloutExtension:
    return CalloutExtension(**kwargs)

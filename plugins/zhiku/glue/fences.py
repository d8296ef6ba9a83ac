"""``zhiku.glue.fences``: a Markdown extension for the fence info strings of other tools.

Listed in ``markdown_extensions`` (before ``pymdownx.superfences``, which reads what it
writes): before any block is read, :func:`zhiku.text.fences.convert_fences` rewrites
```` ```js{1,4-6} ````, ```` ```ts:line-numbers ````, ```` ```js [config.js] ```` and the
like as superfences options (``hl_lines``, ``linenums``, ``title``), line for line.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

from zhiku.glue.textpass import TextPass
from zhiku.text.fences import convert_fences


class FenceInfoExtension(Extension):  # type: ignore[misc]  # Markdown ships no types
    def extendMarkdown(self, md: Markdown) -> None:
        # After callouts and containers (28), whose fences it then sees indented; before
        # $…$ (27) and before superfences stashes fenced code (25).
        md.preprocessors.register(TextPass(md, convert_fences), "zhiku-fence-info", 27.5)


def makeExtension(**kwargs: object) -> FenceInfoExtension:
    return FenceInfoExtension(**kwargs)

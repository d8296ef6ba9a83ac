"""``zhiku.glue.diagrams``: ```` ```mermaid ```` fences kept as diagram sources.

Listed in ``markdown_extensions`` after ``pymdownx.superfences``, it adds a ``mermaid``
fence to it (with superfences' public ``extend_super_fences``, wherever a fence may
stand: top level, lists, admonitions, callouts) written as
``<pre class="zk-mermaid"><code>source</code></pre>``. The theme's diagrams.js draws
it with the site's own Mermaid. The class is not Material's ``mermaid``, whose
script would fetch Mermaid from a CDN. Being settings in code rather than in
mkdocs.yml (``custom_fences`` needs a ``!!python/name`` tag), mkdocs.yml stays plain YAML.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesCodeExtension


def _format(
    src: str = "", language: str = "", options: Any = None, md: Any = None, **_: Any
) -> str:
    return str(Markup('<pre class="zk-mermaid"><code>{}</code></pre>').format(escape(src)))


def _validate(language: str, inputs: dict[str, str], options: Any, attrs: Any, md: Any) -> bool:
    # No options: ```mermaid {…} is read as a plain code block.
    return not inputs


def _reset(md: Any) -> None:
    return None


class DiagramExtension(Extension):  # type: ignore[misc]  # Markdown ships no types
    def extendMarkdown(self, md: Markdown) -> None:
        fences = next(
            (ext for ext in md.registeredExtensions if isinstance(ext, SuperFencesCodeExtension)),
            None,
        )
        if fences is None:
            raise PluginError(
                "mkdocs.yml: markdown_extensions: zhiku.glue.diagrams needs "
                "pymdownx.superfences; list it above zhiku.glue.diagrams"
            )
        fences.extend_super_fences("mermaid", _format, _validate, _reset)


def makeExtension(**kwargs: object) -> DiagramExtension:
    return DiagramExtension(**kwargs)

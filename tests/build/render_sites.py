"""Scenario sites with the Markdown extensions of the project's own mkdocs.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from feed_sites import write_site

SLUGIFY = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"


def project_extensions() -> list[Any]:
    """markdown_extensions as the repository's mkdocs.yml lists them."""
    text = (Path(__file__).parents[2] / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace(SLUGIFY, "'@slugify@'")
    text = text.replace("!ENV [SITE_URL, ", "[")
    return list(yaml.safe_load(text)["markdown_extensions"])


def write_render_site(
    root: Path,
    pages: dict[str, str],
    more: list[Any] | None = None,
    cache: bool = False,
    **settings: Any,
) -> Path:
    """A site with the project's Markdown extensions (plus ``more``) and anchor checks,
    with ``zhiku/cache`` when ``cache``."""
    config = write_site(root, pages, cache=cache)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["markdown_extensions"] = project_extensions() + (more or [])
    data["validation"] = {"anchors": "warn"}
    data.update(settings)
    text = yaml.safe_dump(data, allow_unicode=True).replace("'@slugify@'", SLUGIFY)
    config.write_text(text, encoding="utf-8")
    return config

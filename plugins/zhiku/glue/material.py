"""Everything Zhiku knows about Material for MkDocs, in one place.

The core (listings, search index, catalogue) is engine-free; the plugin classes in
``feed.py`` and ``search.py`` speak MkDocs. What is left is how Material behaves, and
lives here, so the day the theme changes this is the module that moves:

- **Search protocol.** Material's header shows the search box only when a plugin named
  ``material/search`` is configured (:func:`register_search`); its page script fetches
  :data:`SEARCH_MANIFEST` on every page and starts the worker named in its
  ``__config``. Zhiku puts its own worker at the URL of Material's lunr worker and drops
  lunr (:func:`replace_search_worker`), and writes its index under :data:`SEARCH_DIR`
  with the manifest where Material looks for ``search_index.json``.
- **Sitemap beside feeds.** Material's page script fetches the ``sitemap.xml`` that sits
  beside every ``<link rel="alternate">`` (it maps language alternates). The feeds live
  in their own folder with an empty sitemap beside them (:func:`alternate_sitemap`), so
  that fetch costs a few bytes instead of the site's whole sitemap on every page load
  (581 KB at 3,000 articles).
- **``search: exclude``.** The front matter Material's own search plugin reads to leave a
  page out of its index: generated listing pages carry it (:data:`LISTING_META`), so a
  site that swaps zhiku/search for material/search still indexes articles only.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

ASSETS = Path(__file__).resolve().parent.parent / "search" / "assets"
BROWSER_MODULES = ("engine.mjs", "tokenize.mjs")
SEARCH_PLUGIN = "material/search"
SEARCH_DIR = "search"
SEARCH_MANIFEST = f"{SEARCH_DIR}/search_index.json"
LISTING_META: dict[str, object] = {"search": {"exclude": True}}
EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'
)
_LUNR = "assets/javascripts/lunr/"
_WORKER = re.compile(r"^assets/javascripts/workers/search\.[0-9a-f]+\.min\.js(\.map)?$")


def register_search(config: MkDocsConfig, plugin: BasePlugin) -> None:  # type: ignore[type-arg]
    """Make Material's templates show the search box for ``plugin``.

    ``dict.__setitem__`` skips PluginCollection's event registration, so the plugin's
    events still run once.
    """
    dict.__setitem__(config.plugins, SEARCH_PLUGIN, plugin)


def search_dir(config: MkDocsConfig) -> Path:
    """The folder of the site where Material's page script looks for the index."""
    return Path(config.site_dir, SEARCH_DIR)


def replace_search_worker(files: Files, config: MkDocsConfig) -> None:
    """Put Zhiku's worker where Material's page script looks for its lunr worker."""
    worker = None
    for file in list(files):
        if file.src_uri.startswith(_LUNR) or _WORKER.match(file.src_uri):
            files.remove(file)
            if not file.src_uri.endswith(".map") and "/workers/" in file.src_uri:
                worker = file.src_uri
    if worker is None:
        raise PluginError(
            "zhiku/search: Material's search worker was not found among the theme files; "
            "use the Material theme (theme: name: material) or disable zhiku/search"
        )
    files.append(File.generated(config, worker, abs_src_path=str(ASSETS / "worker.js")))
    for name in BROWSER_MODULES:
        files.append(
            File.generated(config, f"assets/zhiku/search/{name}", abs_src_path=str(ASSETS / name))
        )


def alternate_sitemap(feeds: Iterable[str]) -> tuple[str, str]:
    """(path, text) of the empty sitemap beside the ``feeds`` (which share one folder)."""
    folders = {posixpath.dirname(feed) for feed in feeds}
    if len(folders) != 1:
        raise ValueError(f"feeds must share one folder, not {sorted(folders)}")
    return posixpath.join(folders.pop(), "sitemap.xml"), EMPTY_SITEMAP

"""The site folder between builds: which pages a build renders, and what it leaves.

Under ``mkdocs serve`` every build after the first keeps the site folder; so does a
``mkdocs build`` that finds the folder file for file as the last build left it (its
manifest and what each page was built from are kept in the store's ``site`` namespace).
Before any page is read, :meth:`SiteKeeper.mark` hands each page's named inputs to the
ledger (:class:`~zhiku.glue.cache.outputs.Outputs`), which tells MkDocs what to render;
after a successful build :meth:`SiteKeeper.commit` records them and removes what the build
no longer makes, and ``-v`` says why for each page.
"""

from __future__ import annotations

import functools
import logging
import pickle
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from zhiku.build.keys import code_version, digest, versions
from zhiku.files import FileProblem
from zhiku.glue.cache import outputs
from zhiku.glue.cache.inputs import PAGE_EVENTS, SCHEMA, SITE_EVENTS, only_zhiku_hooks
from zhiku.glue.cache.stored import PageStore, answer
from zhiku.glue.cache.workers import WATCHED
from zhiku.glue.figures import current_image_inputs

log = logging.getLogger("mkdocs.plugins.zhiku.cache")
_RECORD = "record"
"""The site record's key in the store's ``site`` namespace (one record per cache folder)."""


class PageWarnings(logging.Handler):
    """The pages that logged a warning while MkDocs read or built them (MkDocs names the
    page it is on in ``config._current_page``)."""

    def __init__(self, config: MkDocsConfig) -> None:
        super().__init__(logging.WARNING)
        self.config = config
        self.pages: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.config, "_current_page", None)
        if page is not None:
            self.pages.add(page.file.src_uri)


class SiteKeeper:
    """What the site folder holds, kept across serve rebuilds and (through the store)
    across ``mkdocs build`` runs, and per page what its output depends on besides its
    source (learnt when it was last converted)."""

    def __init__(self) -> None:
        self.outputs = outputs.Outputs()
        self.lookups: dict[str, dict[str, str | None]] = {}
        """What each page's links looked up when it was converted (see ``Lookups``)."""
        self.anchor_targets: dict[str, tuple[str, ...]] = {}
        """The pages whose headings each page's links name."""
        self.images: dict[str, dict[str, str]] = {}
        """The sizes of the images each page showed when it was converted."""
        self.committed = False
        self._site_known: dict[str, outputs.Entry] = {}
        self._warnings: PageWarnings | None = None

    # -- mkdocs build: going on from the site folder the last build left ---------------

    @staticmethod
    def _record_key(config: MkDocsConfig) -> str:
        return digest(SCHEMA, code_version(), versions(), str(Path(config.site_dir).resolve()))

    def resume(self, config: MkDocsConfig, store_path: Path) -> bool:
        """Before ``mkdocs build``: whether the site folder is exactly what the previous
        build left; if so, what it was built from is loaded and the build keeps it."""
        self.outputs.forget()
        self._site_known = {}
        self.committed = False
        try:
            kept = PageStore.open(store_path)
            # Taken out: a build that does not finish leaves no record.
            data = kept.kept.take("site", _RECORD)
            kept.say()
            if data is None:
                return False
            record = pickle.loads(zlib.decompress(data))
        except FileProblem:
            return False  # on_config says it, with the setting to change
        except (
            pickle.UnpicklingError,
            zlib.error,
            EOFError,
            ValueError,
            AttributeError,
            ImportError,
            TypeError,
            IndexError,
            KeyError,
        ) as err:  # anything a cut or foreign file can raise: it only costs a full build
            log.info(
                "zhiku/cache: %s: site record unreadable (%s); building every page", store_path, err
            )
            return False
        if not isinstance(record, dict) or record.get("key") != self._record_key(config):
            return False
        if not only_zhiku_hooks(config, (*SITE_EVENTS, *PAGE_EVENTS)):
            return False
        site = Path(config.site_dir)
        self._site_known = record["site"]  # what need not be hashed again in finish
        found = outputs.site_manifest(site, record["site"])
        if not outputs.same_site(record["site"], found):
            if site.exists():
                log.info("zhiku/cache: %s changed since the last build; building it whole", site)
            return False
        self.outputs.restore(record["outputs"])
        self.lookups = dict(record["lookups"])
        self.anchor_targets = dict(record["anchor_targets"])
        self.images = dict(record["images"])
        return True

    def finish(self, config: MkDocsConfig, store_path: Path) -> None:
        """After a successful ``mkdocs build``: record the site folder and its inputs."""
        if not self.committed:
            return
        record = {
            "key": self._record_key(config),
            "outputs": self.outputs.state(),
            "lookups": self.lookups,
            "anchor_targets": self.anchor_targets,
            "images": self.images,
            "site": outputs.site_manifest(Path(config.site_dir), self._site_known),
        }
        self._site_known = {}
        data = zlib.compress(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), 1)
        try:
            kept = PageStore.open(store_path)
            kept.kept.put_only("site", _RECORD, data)
            kept.kept.commit()
            kept.say()
        except FileProblem as err:
            log.info("zhiku/cache: could not record the site folder (%s)", err)

    # -- one build ----------------------------------------------------------------------

    def mark(
        self,
        files: Files,
        config: MkDocsConfig,
        *,
        shared: Mapping[str, str] | None,
        declared: Callable[[str], Mapping[str, str]],
        source_of: Callable[[str], str | None],
        files_key: str,
        serving: bool,
    ) -> None:
        """Tell MkDocs which pages this build renders: those whose inputs differ from what
        their output in the site folder was built from. ``shared`` are the inputs every
        page reads (None: they cannot be told, another plugin's hooks change pages),
        ``declared`` what the plugins put on a page (the build session's)."""

        def inputs_of(file: File) -> dict[str, str] | None:
            src = file.src_uri
            own = source_of(src)
            if shared is None or own is None:
                return None
            added = declared(src)
            # A listing's source is the listing a plugin declares: named once, as that.
            made = file.generated_by is not None and "listing" in added
            found = {} if made else {"source": own}
            found["place"] = _place(file.url, file.dest_uri, file.inclusion.name)
            # Its links, as the files resolve them now (all of them when not known).
            lookups = self.lookups.get(src)
            if lookups is None:
                found["set of files"] = files_key
            for path in lookups or ():
                found[f"link: {path}"] = answer(files.get_file_from_path(path)) or "-"
            # Anchors it links to are checked against the target pages' headings.
            for target in self.anchor_targets.get(src, ()):
                found[f"headings of: {target}"] = source_of(target) or ""
            # The sizes its images are shown at, as the files say now.
            found.update(current_image_inputs(self.images.get(src, ()), files))
            found.update(added)
            return found

        shown = InclusionLevel.is_in_serve if serving else InclusionLevel.is_included
        pages = list(files.documentation_pages(inclusion=shown))
        self.outputs.mark(files, pages, shared, inputs_of, config.site_dir, shown)
        self._warnings = PageWarnings(config)
        for logger in WATCHED:
            logger.addHandler(self._warnings)

    def stop_watching(self) -> set[str]:
        """The pages that warned in this build (see :class:`PageWarnings`)."""
        if self._warnings is None:
            return set()
        for logger in WATCHED:
            logger.removeHandler(self._warnings)
        warned, self._warnings = self._warnings.pages, None
        return warned

    def commit(self, dirty: bool) -> None:
        """The build succeeded: record what it built and remove what it no longer makes."""
        if dirty:
            log.info(
                "zhiku/cache: rebuilt %d of %d pages (the rest did not change)",
                len(self.outputs.rebuilt),
                self.outputs.pages,
            )
        self.outputs.commit(dirty, self.stop_watching())
        self.committed = True
        if log.isEnabledFor(logging.DEBUG):
            for line in outputs.explain(self.outputs.why(), self.outputs.removed):
                log.debug("zhiku/cache: %s", line)

    def forget(self) -> None:
        """The build failed: nothing in the site folder can be trusted to be current."""
        self.stop_watching()
        self.outputs.forget()
        self.committed = False


@functools.lru_cache(maxsize=1 << 16)
def _place(url: str, dest_uri: str, inclusion: str) -> str:
    """The digest of where a page is served and written (thousands a rebuild, the same)."""
    return digest(url, dest_uri, inclusion)

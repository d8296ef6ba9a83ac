"""What the render cache keeps of a page, and how it puts it back.

- A **conversion** (``Page.render``'s result: HTML, table of contents, title, anchors,
  the anchors it links to, and the files its links looked up) is stored by its Markdown
  and settings; :func:`restore` puts one in place instead of converting again.
- An **output** (the theme's HTML for a page) is stored by everything the theme reads;
  the page is then rendered through a one-line template that prints it.

Both live in the build's store (:mod:`zhiku.build.store`), through :class:`PageStore`.
Compiled templates are kept beside it, checked (:class:`CheckedBytecode`).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zlib
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from zhiku.build import store as stores
from zhiku.build.keys import digest
from zhiku.files import FileProblem, write_atomic
from zhiku.glue.figures import current_image_inputs, image_inputs

log = logging.getLogger("mkdocs.plugins.zhiku.cache")
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


def toc_rows(items: Any) -> list[Any]:
    return [[a.title, a.id, a.level, toc_rows(a.children)] for a in items]


def _toc_from(rows: list[Any]) -> list[AnchorLink]:
    made = []
    for title, id_, level, children in rows:
        anchor = AnchorLink(title, id_, level)
        anchor.children = _toc_from(children)
        made.append(anchor)
    return made


def _toc(rows: list[Any]) -> TableOfContents:
    items = _toc_from(rows)
    if items:
        # As mkdocs.structure.toc.get_toc does.
        items[0].active = True  # type: ignore[attr-defined]
    return TableOfContents(items)


def _pack(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 1)


def _unpack(data: bytes) -> Any:
    return json.loads(zlib.decompress(data).decode("utf-8"))


def _pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def _unpack_text(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


class Lookups:
    """The files a page's conversion looked up (MkDocs resolves each relative link with
    ``Files.get_file_from_path``), with what each answered: the target's URL, or None.
    The conversion is the same while every lookup answers the same; nothing else about
    the set of files matters to it. Stands in for the build's files during ``render``."""

    def __init__(self, files: Any = None) -> None:
        self._files = files
        self.seen: dict[str, str | None] = {}

    def watch(self, files: Any) -> Lookups:
        self._files = files
        return self

    def get_file_from_path(self, path: str) -> File | None:
        found = self._files.get_file_from_path(path) if self._files is not None else None
        self.seen[path] = answer(found)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


def answer(file: File | None) -> str | None:
    """What a lookup of a link target tells a page's conversion: where the target is."""
    return None if file is None else file.url


def same_answers(lookups: dict[str, str | None], files: Files) -> bool:
    return all(answer(files.get_file_from_path(path)) == url for path, url in lookups.items())


def same_images(images: dict[str, str], files: Files) -> bool:
    """Whether the images a conversion showed still have the sizes it wrote."""
    return not images or current_image_inputs(images, files) == images


def conversion_of(
    page: Page, lookups: dict[str, str | None], markdown: str, files: Files
) -> dict[str, Any]:
    """What ``Page.render`` left on ``page``, as a stored value."""
    meta, page.meta = page.meta, {}
    try:
        # The title render found (or MkDocs' fallback), read with the front matter aside.
        title = page.title
    finally:
        page.meta = meta
    html = page.content or ""
    links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
    return {
        "markdown": digest(markdown),
        "html": html,
        "toc": toc_rows(page.toc),
        "title": title,
        # MkDocs reads `<x's ID>` (even in code) as an id without a value: None.
        "anchors": sorted(a for a in page.present_anchor_ids or () if isinstance(a, str)),
        "links": links,
        "lookups": lookups,
        # The sizes its <img> carry, read from the image files (see zhiku.glue.figures).
        "images": image_inputs(html, page.file.dest_uri, files),
    }


def restore(page: Page, config: MkDocsConfig, files: Files, *, found: dict[str, Any]) -> None:
    """``Page.render`` for a page converted before: what it would leave, from the cache."""
    page.content = found["html"]
    page.toc = _toc(found["toc"])
    if "title" not in page.meta and "title" not in vars(page):
        page.title = found["title"]
    page.present_anchor_ids = set(found["anchors"])
    if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
        targets = {uri: files.get_file_from_path(uri) for uri in found["links"]}
        page.links_to_anchors = {
            target: found["links"][uri] for uri, target in targets.items() if target
        }


class PageStore:
    """Conversions and outputs by key, in the build's store (:mod:`zhiku.build.store`).

    Entries belong to a *variant* (the configuration's key: ``mkdocs serve`` and ``mkdocs
    build`` differ in their site URL). A full build drops its variant's entries it did
    not use, and the entries of all but the most recently built variants.
    """

    TABLES = ("conversions", "outputs")

    def __init__(self, kept: stores.Store) -> None:
        self.kept = kept
        self.path = kept.path
        self.variant = ""

    @classmethod
    def open(cls, path: Path) -> PageStore:
        """The store at ``path``; one found damaged (a cut copy, a full disk) is replaced."""
        found = cls(stores.shared(path))
        found.say()
        return found

    def say(self) -> None:
        for note in self.kept.take_notes():
            log.info("zhiku/cache: %s", note)

    def get(self, table: str, key: str) -> Any:
        data = self.kept.get(table, key)
        if data is None:
            return None
        return _unpack(data) if table == "conversions" else _unpack_text(data)

    def has(self, table: str, key: str) -> bool:
        return self.kept.has(table, key)

    def put(self, table: str, key: str, value: Any) -> None:
        data = _pack(value) if table == "conversions" else _pack_text(value)
        self.kept.put(table, key, data, variant=self.variant)

    def finish(self, prune: bool) -> None:
        if prune:
            self.kept.prune(self.TABLES, self.variant)
        else:
            self.kept.forget_used(self.TABLES)
        try:
            self.kept.commit()
        except FileProblem as err:
            raise PluginError(str(err)) from err
        finally:
            self.say()

    def abandon(self) -> None:
        self.kept.abandon()
        self.say()

    def close(self) -> None:
        self.kept.close()
        self.say()


class CheckedBytecode(jinja2.BytecodeCache):
    """Compiled templates on disk, each file led by the SHA-256 of the code it holds.

    Jinja's own file cache hands Python whatever marshalled code it finds: a damaged file
    stopped the build (an unknown opcode, a name that cannot be imported) or crashed the
    interpreter. Here a file whose code does not match its digest is not loaded (the
    template compiles again), so damage costs time, never the build."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        check, code = data[:32], data[32:]
        if hashlib.sha256(code).digest() == check:
            bucket.load_bytecode(io.BytesIO(code))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        out = io.BytesIO()
        bucket.write_bytecode(out)
        code = out.getvalue()
        try:
            write_atomic(self._path(bucket), hashlib.sha256(code).digest() + code, durable=False)
        except OSError as err:
            log.info("zhiku/cache: could not keep a compiled template (%s)", err)

"""The import I/O shell: find each source's kind and notes, read content/, plan, write.

It keeps ingest's promises with ingest's means: one run at a time per content
folder (:func:`zhiku.ingest.lock.content_lock`), every write whole or not at all
(:func:`zhiku.files.write_atomic`), the state written with the intent of the run
before any article so a killed run is finished by the next, one line per file that
cannot be read, and :class:`zhiku.ingest.run.IngestError` (one line) when the run
cannot start or go on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from zhiku.files import remove_stale_temps, write_atomic
from zhiku.importers import d2lbook, docsify, docusaurus, logseq, myst, notebook, notion
from zhiku.importers.kinds import read_note
from zhiku.importers.mdbook import Summary, book_config, book_notes
from zhiku.importers.model import KINDS, MARKDOWN_SUFFIXES, Note, Skipped, Tree
from zhiku.importers.plan import ImportPlan, Record, plan_import
from zhiku.importers.source import SourceError, load_yaml, split_source
from zhiku.ingest.lock import LockTimeout, content_lock
from zhiku.ingest.plan import sha
from zhiku.ingest.run import (
    STATE_DIR,
    ContentBusy,
    IngestError,
    os_failure,
    read_content,
    settle_pending,
    state_text,
)

STATE_FILE = "import-state.json"
DEFAULT_WAIT = 600.0
TEMP_TARGETS = (".md", ".json")
# Folders of a site project that hold no notes (build output, dependencies, themes).
NOT_NOTES = frozenset({"node_modules", "public", "themes", "site", "resources", "_site", "vendor"})
_JEKYLL_NAME = re.compile(r"\A\d{4}-\d{2}-\d{2}-.+\.(?:md|markdown)\Z")
_HEXO_DATE = re.compile(r"^date:\s*['\"]?\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}", re.M)


@dataclass(slots=True)
class Outcome:
    """What a run did (or, with ``dry_run``, would do)."""

    plan: ImportPlan
    inputs: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # content files left untouched

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(r.status == "failed" for r in self.plan.records)

    def report(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "errors": self.errors,
            "skipped": self.skipped,
            "files": [r.to_json() for r in self.plan.records],
            "copies": sorted(self.plan.copies),
        }


def _visible(relative: Path) -> bool:
    return not any(p.startswith(".") or p in NOT_NOTES for p in relative.parts)


def _listing(root: Path, skip: frozenset[str] = NOT_NOTES) -> list[str]:
    found = []
    for folder, dirs, names in os.walk(root):
        here = Path(folder).relative_to(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in skip)
        for name in names:
            if not name.startswith(".") and (Path(folder) / name).is_file():
                found.append((here / name).as_posix())
    return sorted(found)


def _yaml_file(path: Path) -> dict[str, Any]:
    try:
        value = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SourceError):
        return {}
    return value if isinstance(value, dict) else {}


def _nav_titles(nav: Any, out: dict[str, str], sections: dict[str, str], section: str = "") -> None:
    """``nav:`` of mkdocs.yml as page path -> title (titles win over headings) and page
    path -> its section's path (the category)."""
    if isinstance(nav, list):
        for item in nav:
            _nav_titles(item, out, sections, section)
    elif isinstance(nav, str) and nav.endswith((*MARKDOWN_SUFFIXES, notebook.SUFFIX)):
        if section:
            sections.setdefault(posixpath.normpath(nav), section)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str) and value.endswith((*MARKDOWN_SUFFIXES, notebook.SUFFIX)):
                out.setdefault(posixpath.normpath(value), str(title))
                if section:
                    sections.setdefault(posixpath.normpath(value), section)
            else:
                name = str(title).replace("/", "-").strip()
                inner = f"{section}/{name}" if section else name
                _nav_titles(value, out, sections, inner)


def detect(root: Path, told: str | None = None) -> tuple[str, str, dict[str, Any]]:
    """(kind, notes folder relative to ``root``, the tool's configuration) of a source folder."""
    config: dict[str, Any] = {}
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        if (root / name).is_file() and told in (None, "mkdocs"):
            config = _yaml_file(root / name)
            titles: dict[str, str] = {}
            sections: dict[str, str] = {}
            _nav_titles(config.get("nav"), titles, sections)
            config["nav_titles"] = titles
            config["nav_sections"] = sections
            return "mkdocs", str(config.get("docs_dir") or "docs").strip("/"), config
    if (root / "_config.yml").is_file():
        config = _yaml_file(root / "_config.yml")
    for name in ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml"):
        if (root / name).is_file() and (root / "content").is_dir() and told in (None, "hugo"):
            text = (root / name).read_text(encoding="utf-8", errors="replace")
            fence = "+++\n" if name.endswith(".toml") else "---\n"
            try:
                config, _, _ = split_source(f"{fence}{text}\n{fence}")
            except SourceError:
                config = {}
            return "hugo", "content", config
    # A Hugo site whose configuration lives in config/ (or only its folders tell).
    hugo_dirs = ("archetypes", "config", "layouts")
    if (
        told in (None, "hugo")
        and (root / "content").is_dir()
        and any((root / d).is_dir() for d in hugo_dirs)
    ):
        return "hugo", "content", config
    if told in (None, "docusaurus"):
        site = _docusaurus_config(root, told)
        if site is not None:
            return "docusaurus", "", site
    book = _book(root, told) if told in (None, "mdbook") else None
    if book is not None:
        return "mdbook", book[1], {**config, **book[0]}
    if told in (None, "d2lbook"):
        d2l = _d2lbook(root, told)
        if d2l is not None:
            return "d2lbook", d2l["source_dir"], {**config, **d2l}
    if told in (None, "sphinx"):
        sphinx = _sphinx_source(root, told)
        if sphinx is not None:
            return "sphinx", sphinx[0], {**config, "sphinx": sphinx[1]}
    if told in (None, "vuepress"):
        source = _vuepress_source(root)
        if source is not None:
            return "vuepress", source, config
    if told in (None, "docsify"):
        found = _docsify_site(root, told)
        if found is not None:
            return "docsify", found.folder, {**config, **_docsify_config(found)}
    if told == "logseq" or (told is None and (root / logseq.CONFIG).is_file()):
        return "logseq", "", config
    if told in (None, "obsidian"):
        vault = _obsidian_vault(root)
        if vault is not None:
            return "obsidian", vault, config
    if told is None:
        if (root / "source" / "_posts").is_dir():
            return "hexo", "source", config
        if (root / "_posts").is_dir() and root.name == "source":
            return "hexo", "", _yaml_file(root.parent / "_config.yml")
        if root.resolve().name == "_posts" and root.resolve().parent.name == "source":
            return "hexo", "", _yaml_file(root.resolve().parent.parent / "_config.yml")
    files = [f for f in _listing(root) if f.endswith(MARKDOWN_SUFFIXES)]
    kind = told or _guess(root, files)
    if kind == "hexo" and (root / "source" / "_posts").is_dir():
        return kind, "source", config
    return kind, "", config


def _book(root: Path, told: str | None = None) -> tuple[dict[str, Any], str] | None:
    """An mdBook (``book.toml``, its ``src`` folder) or GitBook (``book.json`` beside
    ``SUMMARY.md``) book: what import keeps of its configuration, and its source folder.
    With ``--from mdbook``, a folder holding ``SUMMARY.md`` (or ``src/SUMMARY.md``) is one."""
    book: dict[str, Any] = {}
    if (root / "book.toml").is_file():
        try:
            book = tomllib.loads((root / "book.toml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            book = {}
        meta = book.get("book")
        src = str((meta if isinstance(meta, dict) else {}).get("src") or "src").strip("/")
    elif (root / "book.json").is_file():
        try:
            book = json.loads((root / "book.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            book = {}
        src = str(book.get("root") or "").strip("./") if isinstance(book, dict) else ""
        if not (root / src / "SUMMARY.md").is_file():
            return None
    elif told == "mdbook" and (root / "src" / "SUMMARY.md").is_file():
        src = "src"
    elif told == "mdbook" and (root / "SUMMARY.md").is_file():
        src = ""
    else:
        return None
    src = "" if src == "." else src
    if not (root / src).is_dir():
        return None
    try:
        summary: str | None = (root / src / "SUMMARY.md").read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        summary = None
    # The host the book is served from, as the CNAME file GitHub Pages reads says.
    cnames = [_read_text(root / d / "CNAME") for d in ("", src, "assets", "theme", "static")]
    found = tuple(c.strip() for c in cnames if c and c.strip())
    config = book_config(book if isinstance(book, dict) else {}, summary, found)
    config["gitbook"] = (root / "book.json").is_file() and not (root / "book.toml").is_file()
    return config, src


def _d2lbook(root: Path, told: str | None) -> dict[str, Any] | None:
    """A d2lbook book: ``config.ini`` with a ``[project]`` section beside an ``index.md``
    holding ```toc blocks (with ``--from d2lbook``, the ``index.md`` is enough)."""
    ini = _read_text(root / "config.ini")
    if told is None and (ini is None or not re.search(r"^\[project\]", ini, re.M)):
        return None
    config = d2lbook.book_config(ini)
    index = _read_text(root / config["source_dir"] / config["index"]) or ""
    return config if d2lbook.toc_entries(index) else None


def _docsify_site(root: Path, told: str | None) -> docsify.Site | None:
    """A docsify site (an ``index.html`` setting ``window.$docsify`` whose sidebar file is
    there) under ``root``, or in ``root`` itself with ``--from docsify``."""
    for folder in docsify.SITE_FOLDERS:
        html = _read_text(root / folder / "index.html")
        found = docsify.site_config(html) if html else None
        if found is None:
            continue
        name, sidebar = found
        if sidebar is None and (root / folder / "_sidebar.md").is_file():
            sidebar = "_sidebar.md"  # written for the site, though its config loads none
        text = _read_text(root / folder / sidebar) if sidebar else None
        if text is None and told is None:
            continue  # no sidebar: the notes may live anywhere; read as Markdown
        summary = docsify.read_sidebar(text or "", folder, lambda path: (root / path).is_file())
        return docsify.Site(folder, name, sidebar if text is not None else None, summary)
    if told:
        return docsify.Site("", None, None, Summary())
    return None


def _docsify_config(site: docsify.Site) -> dict[str, Any]:
    return {
        "site_name": site.name,
        "sidebar": site.sidebar,
        "summary": site.summary,
        "chapters": {c.path: c for c in site.summary.chapters},
    }


def _holds_markdown(folder: Path) -> bool:
    for _, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_")) and d not in NOT_NOTES]
        if any(n.endswith(MARKDOWN_SUFFIXES) for n in names):
            return True
    return False


def _sphinx_source(root: Path, told: str | None) -> tuple[str, dict[str, str]] | None:
    """A Sphinx project (``conf.py`` in the root, ``source/``, ``docs/``, ``doc/`` or
    ``docs/source/``, beside Markdown) or a Jupyter Book (``_toc.yml``, or version 2's
    ``myst.yml``, in the root or a folder of it): its source folder and the texts of the
    files that describe the book."""
    folders = ["", "source", "docs", "doc", "docs/source", "doc/source"]
    found: str | None = None
    for folder in ["", *sorted(p.name for p in root.iterdir() if p.is_dir())]:
        if not folder.startswith((".", "_")) and any(
            (root / folder / name).is_file() for name in ("_toc.yml", "myst.yml")
        ):
            found = folder
            break
    if found is None:
        found = next((f for f in folders if (root / f / "conf.py").is_file()), None)
    if found is None and told == "sphinx":
        found = ""
    if found is None or not _holds_markdown(root / found):
        return None
    texts = {
        name: text
        for name in ("conf.py", "_toc.yml", "_config.yml", "myst.yml")
        if (text := _read_text(root / found / name)) is not None
    }
    return found, texts


def _obsidian_vault(root: Path) -> str | None:
    """The folder of the Obsidian vault in ``root`` (relative to it): the root when it
    holds ``.obsidian/``, ``content/`` in a Quartz site (``quartz.config.ts`` beside it:
    Quartz's own ``docs/`` and code stay out), or the one folder under the root that
    holds ``.obsidian/`` (a repository keeping its vault in ``vault/`` or ``notes/``)."""
    if (root / ".obsidian").is_dir():
        return ""
    quartz = any((root / f"quartz.config.{ext}").is_file() for ext in ("ts", "js", "mjs"))
    if quartz and (root / "content").is_dir():
        return "content"
    try:
        vaults = [d.name for d in root.iterdir() if d.is_dir() and (d / ".obsidian").is_dir()]
    except OSError:
        return None
    return vaults[0] if len(vaults) == 1 else None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _vuepress_source(root: Path) -> str | None:
    """The source folder of a VuePress or VitePress site (the one holding ``.vuepress/``
    or ``.vitepress/``: ``docs``, ``src`` or the root itself), relative to ``root``."""
    for folder in ("", "docs", "src", "site"):
        for marker in (".vuepress", ".vitepress"):
            if (root / folder / marker).is_dir():
                return folder
    return None


def _docusaurus_config(root: Path, told: str | None) -> dict[str, Any] | None:
    """A Docusaurus site's configuration (``docusaurus.config.*`` beside ``docs/`` or
    ``blog/``, or in ``website/`` as monorepos keep it), as
    :func:`zhiku.importers.docusaurus.read_config` reads it, with ``site`` its folder."""
    for site in ("", "website"):
        for name in docusaurus.CONFIG_NAMES:
            if (root / site / name).is_file():
                text = (root / site / name).read_text(encoding="utf-8", errors="replace")
                config = docusaurus.read_config(text)
                config["site"] = site
                config["static"] = [posixpath.join(site, s) for s in config["static"]]
                if told or any((root / site / f).is_dir() for _, _, f, _ in config["sections"]):
                    return config
    return docusaurus.read_config("") if told else None


def _category_labels(root: Path, files: Sequence[str]) -> dict[str, str]:
    """``{folder: label}`` from Docusaurus's ``_category_.json``/``_category_.yml`` files."""
    labels: dict[str, str] = {}
    for path in files:
        name = posixpath.basename(path)
        if name not in ("_category_.json", "_category_.yml", "_category_.yaml"):
            continue
        try:
            text = (root / path).read_text(encoding="utf-8")
            data = json.loads(text) if name.endswith(".json") else _yaml_file(root / path)
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("label"), str | int):
            labels[posixpath.dirname(path)] = str(data["label"]).strip()
    return labels


def _guess(root: Path, files: Sequence[str]) -> str:
    """The kind of a bare folder of notes, from what the notes look like."""
    heads = []
    for name in files[:200]:
        try:
            with (root / name).open(encoding="utf-8", errors="replace") as handle:
                heads.append(handle.read(2000))
        except OSError:
            continue
    if not heads:
        return "markdown"
    if any(h.startswith("+++") for h in heads):
        return "hugo"
    dated = sum(1 for f in files if _JEKYLL_NAME.match(posixpath.basename(f)))
    if dated * 2 > len(files) and (Path(root).name == "_posts" or (root / "_posts").is_dir()):
        return "jekyll"
    if any(_HEXO_DATE.search(h) for h in heads) or any("{% " in h for h in heads):
        return "hexo"
    if dated * 2 > len(files):
        return "jekyll"
    if notion.is_export(files):
        return "notion"
    return "markdown"


# A docsify site's own parts (its sidebar, navbar, cover and 404 page), not notes.
_DOCSIFY_PARTS = frozenset({"_sidebar.md", "_navbar.md", "_coverpage.md", "_404.md", "_footer.md"})
_LINK_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+\[[^\]]*\]\([^)]*\)\s*$")


def _navigation(relative: str, text: str) -> str | None:
    """Why a Markdown file is another tool's navigation rather than a note (None: a note):
    docsify's ``_sidebar.md`` and its kin, GitBook's ``SUMMARY.md`` (a list of links)."""
    name = posixpath.basename(relative)
    if name in _DOCSIFY_PARTS:
        return f"docsify's {name[1:-3]} (part of its pages, not a note); not imported"
    if name == "SUMMARY.md":
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        if lines and sum(1 for line in lines if _LINK_ITEM.match(line)) >= 0.8 * len(lines):
            return "GitBook's table of contents (a list of links), not a note; not imported"
    return None


def _is_note(kind: str, relative: str, posts: bool) -> tuple[bool, str | None]:
    """Whether a Markdown file (relative to the notes folder) is a note; else why not.
    ``posts``: the folder has a ``_posts`` folder, so other Markdown files are pages."""
    top = relative.split("/", 1)[0]
    if posts and kind in ("hexo", "jekyll") and top not in ("_posts", "_drafts"):
        tool = "Hexo" if kind == "hexo" else "Jekyll"
        return False, f"a {tool} page or layout, not a post; not imported"
    if kind == "logseq" and top not in logseq.FOLDERS:
        return False, "Logseq's own files (settings, backups, page history), not a page"
    if kind == "hugo" and posixpath.basename(relative) == "_index.md":
        return False, "a Hugo section page (a list), not a post; not imported"
    return True, None


def _obsidian_templates(root: Path) -> str | None:
    """The vault's templates folder (``.obsidian/templates.json``) as a path prefix."""
    try:
        settings = json.loads((root / ".obsidian" / "templates.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = settings.get("folder") if isinstance(settings, dict) else None
    if not isinstance(folder, str) or not folder.strip("/ "):
        return None
    return folder.strip("/ ") + "/"


def _git_dates(root: Path, notes: Sequence[str]) -> dict[str, dt.date]:
    """The day the commit that added each note was made, when ``root`` is in a git work tree."""
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if top.returncode != 0:
        return {}
    dates: dict[str, dt.date] = {}
    for note in notes:
        try:
            log = subprocess.run(
                [
                    "git",
                    "-C",
                    str(root),
                    "log",
                    "--follow",
                    "--diff-filter=A",
                    "--format=%as",
                    "--",
                    note,
                ],
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        lines = log.stdout.split()
        if log.returncode == 0 and lines:
            try:
                dates[note] = dt.date.fromisoformat(lines[-1])
            except ValueError:
                continue
    return dates


def read_tree(raw: str, told: str | None) -> tuple[Tree, list[Note | Skipped], list[str]]:
    """The tree at ``raw``, its notes read, and one line per file that could not be read."""
    root = Path(raw)
    kind, base, config = detect(root, told)
    if kind == "hexo":
        config.setdefault("post_asset_folder", False)
    if kind == "sphinx":  # a book's resources/ or site/ folder is its own; _build/ is output
        files = _listing(root, myst.BUILD_FOLDERS | {"node_modules", "vendor"})
    else:
        files = _listing(root)
    public = root / base / ".vuepress" / "public"
    if kind == "vuepress" and public.is_dir():
        # VuePress serves this hidden folder at the site's root: /logo.png is in it.
        inside = posixpath.join(base, ".vuepress", "public")
        files += [posixpath.join(inside, name) for name in _listing(public)]
    wanted: set[str] | None = None
    outside: dict[str, str] = {}
    if kind == "docusaurus":
        config["places"], outside = docusaurus.places(config, files)
        config["category_labels"] = _category_labels(root, files)
        wanted = set(config["places"])
    texts: dict[str, str] = {}
    blobs: dict[str, bytes] = {}  # a notebook's images, by the paths its note names them
    told_of: dict[str, tuple[str, ...]] = {}  # what reading a notebook reported
    notes: list[str] = []
    results: list[Note | Skipped] = []
    errors: list[str] = []
    prefix = base + "/" if base else ""
    posts = (root / base / "_posts").is_dir()
    templates = _obsidian_templates(root) if kind == "obsidian" else None
    for path in files:
        if wanted is not None and path in outside:
            results.append(Skipped(path, outside[path]))
            continue
        if wanted is not None and path not in wanted:
            continue
        readable = (*MARKDOWN_SUFFIXES, notebook.SUFFIX)
        if not path.startswith(prefix) or (wanted is None and not path.endswith(readable)):
            continue
        if kind == "sphinx" and (why := _not_sphinx_document(path[len(prefix) :], config)):
            results.append(Skipped(path, why))
            continue
        if templates and path.startswith(templates):
            results.append(Skipped(path, "an Obsidian template, not a note; not imported"))
            continue
        ok, why = _is_note(kind, path[len(prefix) :], posts)
        if not ok:
            results.append(Skipped(path, why or "not a note"))
            continue
        try:
            data = (root / path).read_bytes()
            texts[path] = data.decode("utf-8-sig")
        except OSError as err:
            results.append(Skipped(path, f"cannot read ({err.strerror}); check it", bad=True))
            continue
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            reason = "not UTF-8; save it as UTF-8 and run again"
            results.append(Skipped(path, reason, bad=True, line=line))
            continue
        if path.endswith(notebook.SUFFIX):
            pair = _jupytext_pair(path, files)
            if pair is not None:
                del texts[path]
                reason = f"a jupytext pair of {pair}, which is imported; not imported twice"
                results.append(Skipped(path, reason))
                continue
            try:
                converted = notebook.read_notebook(texts[path], posixpath.basename(path))
            except notebook.NotebookError as err:
                del texts[path]
                results.append(Skipped(path, err.message, bad=True, line=err.line))
                continue
            texts[path] = converted.text
            folder = posixpath.dirname(path)
            blobs.update({posixpath.join(folder, k): v for k, v in converted.files.items()})
            told_of[path] = converted.notes
        else:
            texts[path], pasted = notebook.pasted_images(texts[path], posixpath.basename(path))
            if pasted:
                folder = posixpath.dirname(path)
                blobs.update({posixpath.join(folder, k): v for k, v in pasted.items()})
                images = "image" if len(pasted) == 1 else "images"
                told_of[path] = (f"{len(pasted)} pasted (base64) {images} written as files",)
        why = _navigation(path, texts[path])
        if why is not None:
            del texts[path]
            results.append(Skipped(path, why))
            continue
        notes.append(path)
    if kind == "logseq":  # a block reference shows words from any page
        config["logseq_refs"] = logseq.block_texts(logseq.parse_page(texts[p]) for p in notes)
    if kind == "docsify":  # files its pages include are read first
        _docsify_includes(root, base, notes, texts, config)
    if kind == "sphinx":  # the toctrees (or _toc.yml) give the order, parts and titles
        notes = _sphinx_book(
            base, files, notes, texts, config, results, lambda p: _read_text(root / p)
        )
    if kind == "mdbook":  # SUMMARY.md, drafts and included fragments are not chapters
        notes, left = book_notes(base, notes, texts, config, lambda p: _read_text(root / p))
        results.extend(left)
    if kind == "d2lbook":  # config.ini's exclusions and the book's front page are not notes
        notes, left = d2lbook.book_notes(notes, texts, config, lambda p: _read_text(root / p))
        results.extend(left)
    git = _git_dates(root, notes) if notes else {}
    dates: dict[str, tuple[dt.date, str]] = {}
    for path in notes:
        if path in git:
            dates[path] = (git[path], "git")
        else:
            mtime = (root / path).stat().st_mtime
            dates[path] = (dt.datetime.fromtimestamp(mtime, dt.timezone.utc).date(), "mtime")
    key = f"{kind}:{root.resolve().name}"
    tree = Tree(
        raw.rstrip("/"),
        kind,
        frozenset([*files, *blobs]),
        tuple(notes),
        texts,
        config,
        dates,
        base,
        key,
        blobs,
    )
    for path in notes:
        result = read_note(tree, path)
        if isinstance(result, Note):
            result.notes[:0] = told_of.get(path, ())
        results.append(result)
    results.sort(key=lambda r: r.source)
    for result in results:
        if isinstance(result, Skipped) and result.bad:
            where = f":{result.line}" if result.line else ""
            errors.append(f"{tree.root}/{result.source}{where}: {result.reason}")
    return tree, results, errors


def _docsify_includes(
    root: Path, base: str, notes: list[str], texts: Mapping[str, str], config: dict[str, Any]
) -> None:
    """Read the files the pages of a docsify site embed (``[x](a.md ':include')``) into
    ``config["docsify_files"]``."""
    files: dict[str, str] = {}
    for path in notes:
        for target in docsify.include_targets(path, base, texts[path]):
            if target not in files and not target.startswith("../"):
                text = texts.get(target) or _read_text(root / target)
                if text is not None:
                    files[target] = text
    config["docsify_files"] = files


def _jupytext_pair(path: str, files: Sequence[str]) -> str | None:
    """The Markdown file a notebook is paired with by jupytext (``a.ipynb`` beside ``a.md``,
    the same text): the Markdown one is the note."""
    stem = path[: -len(notebook.SUFFIX)]
    known = set(files)
    return next((stem + s for s in MARKDOWN_SUFFIXES if stem + s in known), None)


def _not_sphinx_document(relative: str, config: dict[str, Any]) -> str | None:
    """Why a Markdown file of a Sphinx source is not one of its documents, or None."""
    if any(part.startswith("_") for part in relative.split("/")[:-1]):
        return "in a folder Sphinx keeps for its theme or build (_…); not a document"
    patterns = tuple(
        myst.conf_values(config.get("sphinx", {}).get("conf.py", "")).get("exclude_patterns", ())
    )
    if myst.excluded(relative, patterns):
        return "left out by conf.py's exclude_patterns; not imported"
    return None


def _sphinx_book(
    base: str,
    files: list[str],
    notes: list[str],
    texts: dict[str, str],
    config: dict[str, Any],
    results: list[Note | Skipped],
    read: Callable[[str], str | None],
) -> list[str]:
    """The book's order and labels read into ``config["book"]``; the notes that are its
    documents (the repository's README in no toctree is not one)."""
    prefix = base + "/" if base else ""
    described = config.get("sphinx", {})
    docs = [
        f[len(prefix) :]
        for f in files
        if f.startswith(prefix)
        and f.endswith((*MARKDOWN_SUFFIXES, ".ipynb", ".rst"))
        and not any(p.startswith("_") for p in f[len(prefix) :].split("/")[:-1])
    ]
    mine = {n[len(prefix) :]: texts[n] for n in notes}
    rst = {d: text for d in docs if d.endswith(".rst") and (text := read(prefix + d)) is not None}
    wanted = {t for path, text in mine.items() for t in myst.include_targets(path, text)}
    # Only files inside the folder imported (a literalinclude may reach up to ../examples/).
    inside = [t for t in sorted(wanted) if not posixpath.normpath(prefix + t).startswith("..")]
    includes = {t: text for t in inside if (text := read(posixpath.normpath(prefix + t)))}
    book = myst.book_config(
        mine,
        docs,
        described.get("conf.py"),
        described.get("_toc.yml"),
        described.get("_config.yml"),
        rst,
        includes,
        described.get("myst.yml"),
    )
    config["book"] = book
    where = prefix + (book.toc_file or "conf.py")
    results.extend(Skipped(where, problem) for problem in book.problems)
    kept = []
    for path in notes:
        inner = path[len(prefix) :]
        if inner in ("README.md", "readme.md") and book.chapters and inner not in book.chapters:
            results.append(Skipped(path, "the repository's README, in no toctree; not a page"))
            continue
        kept.append(path)
    reasons = {".rst": "reStructuredText: import converts MyST Markdown only; not imported"}
    config["unused_reasons"] = {
        f: reasons[posixpath.splitext(f)[1]]
        for f in files
        if f.startswith(prefix) and posixpath.splitext(f)[1] in reasons
    } | {
        prefix + name: "the book's own configuration (its title, order and parts); not a note"
        for name in described
    }
    return kept


def _unused(tree: Tree, plan: ImportPlan) -> list[Skipped]:
    """Files in the notes folder that are neither notes nor copied for one (nor already
    reported, as a notebook that could not be read is)."""
    used = {source for t, source in plan.copies.values() if t is tree}
    used |= set(tree.blobs)
    shown = {r.source for r in plan.records}
    used |= {f for f in tree.files if (f"{tree.root}/{f}" if tree.root else f) in shown}
    prefix = tree.base + "/" if tree.base else ""
    if tree.kind in ("hexo", "jekyll") and any(
        f.startswith(prefix + "_posts/") for f in tree.notes
    ):
        prefix += "_posts/"
    if tree.kind == "docusaurus":  # the site's own code and pages are not notes' files
        folders = {place.section.folder + "/" for place in tree.config["places"].values()}
        prefixes = tuple(folders) or (prefix,)
    else:
        prefixes = (prefix,)
    reasons: dict[str, str] = tree.config.get("unused_reasons", {})
    return [
        Skipped(f, reasons.get(f) or _unused_reason(f, tree))
        for f in sorted(tree.files)
        if f.startswith(prefixes) and not f.endswith((*MARKDOWN_SUFFIXES, ".mdx")) and f not in used
    ]


def _unused_reason(path: str, tree: Tree) -> str:
    twin = posixpath.splitext(path)[0] + notebook.SUFFIX
    if path.endswith(".py") and twin in tree.notes:  # jupytext's percent-format pair
        return f"a jupytext pair of {twin}, which is imported; not imported twice"
    return "not Markdown and no note links to it; not imported"


def refuse_inputs(inputs: Sequence[str], content: Path) -> None:
    root = content.resolve()
    for raw in inputs:
        path = Path(raw).resolve()
        if not path.is_dir():
            what = "is not a folder" if path.exists() else "does not exist"
            raise IngestError(f"{raw}: {what}; pass the folder of your notes (a blog or vault)")
        if path == root or root in path.parents:
            raise IngestError(
                f"{raw}: is inside the content folder {content}; pass the folder of your notes"
            )
        if path in root.parents:
            raise IngestError(
                f"{raw}: holds the content folder {content}; pass the notes' own folder "
                "(like source/_posts or your vault) or another --content"
            )


def _warn(line: str) -> None:
    print(line, file=sys.stderr)


def import_notes(
    inputs: Sequence[str],
    content: Path,
    *,
    kind: str | None = None,
    dry_run: bool = False,
    wait: float = DEFAULT_WAIT,
    notice: Callable[[str], None] = _warn,
) -> Outcome:
    """Import the notes folders ``inputs`` into ``content``; with ``dry_run`` nothing is
    written. Raises :class:`IngestError` (one line) when the run cannot start or go on."""
    if kind is not None and kind not in KINDS:
        raise IngestError(f"--from {kind}: not a kind import knows; use one of {', '.join(KINDS)}")
    if content.exists() and not content.is_dir():
        raise IngestError(f"{content}: is a file, not a folder; pass --content a folder")
    refuse_inputs(inputs, content)
    if dry_run:
        return _import(inputs, content, kind, dry_run=True)
    try:
        with content_lock(content / STATE_DIR, wait=wait, notice=notice):
            remove_stale_temps(content, TEMP_TARGETS)
            return _import(inputs, content, kind, dry_run=False)
    except LockTimeout as err:
        raise ContentBusy(str(err)) from err
    except OSError as err:
        raise IngestError(os_failure(err.filename or content / STATE_DIR, err)) from err


def _read_state(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise IngestError(f"{path}: cannot read the import state ({err}); restore it") from err
    try:
        state: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as err:
        raise IngestError(
            f"{path}:{err.lineno}: the import state is not valid JSON ({err.msg}); "
            "restore it from version control"
        ) from err
    return state


def _write(path: Path, data: str | bytes, *, midway: bool = True) -> None:
    try:
        write_atomic(path.resolve() if path.is_symlink() else path, data)
    except OSError as err:
        raise IngestError(os_failure(path, err, midway=midway)) from err


def _pending(state: dict[str, Any], plan: ImportPlan) -> dict[str, Any]:
    """``state`` with the intent of this run journaled (see :func:`settle_pending`)."""
    articles = dict(state.get("articles", {}))
    key_of = {entry["file"]: key for key, entry in plan.state["articles"].items()}
    for path, text in plan.writes.items():
        key = key_of.get(path)
        if key is None:
            continue
        entry = {**plan.state["articles"][key], "pending": True, "written_sha256": sha(text)}
        if key in articles:
            entry["previous"] = {
                k: v
                for k, v in articles[key].items()
                if k not in ("pending", "written_sha256", "previous")
            }
        articles[key] = entry
    return {**state, "articles": articles, "version": plan.state["version"]}


_NO_DIRECTORY_URLS = re.compile(r"^use_directory_urls:\s*(?:false|no|off)\s*(?:#.*)?$", re.M | re.I)


def _directory_urls(content: Path) -> bool:
    """Whether the site around ``content`` serves a page ``a.md`` at ``a/`` (MkDocs'
    default), from the ``mkdocs.yml`` beside the content folder. Raw HTML in a note must
    name its images from the page's URL, which this decides."""
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        try:
            text = (content.parent / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        return not _NO_DIRECTORY_URLS.search(text)
    return True


def _import(inputs: Sequence[str], content: Path, kind: str | None, *, dry_run: bool) -> Outcome:
    trees: list[tuple[Tree, list[Note | Skipped]]] = []
    errors: list[str] = []
    records: list[dict[str, Any]] = []
    for raw in inputs:
        tree, notes, bad = read_tree(raw, kind)
        trees.append((tree, notes))
        errors.extend(bad)
        records.append(
            {"input": tree.root, "kind": tree.kind, "notes": len(tree.notes), "base": tree.base}
        )
    state_path = content / STATE_DIR / STATE_FILE
    state = _read_state(state_path)
    existing = read_content(content)
    settled = settle_pending(state, existing.texts)
    plan = plan_import(
        trees,
        existing.texts,
        settled,
        sorted(existing.unreadable),
        directory_urls=_directory_urls(content),
    )
    for tree, _ in trees:
        plan.records.extend(_record(tree, skipped) for skipped in _unused(tree, plan))
    outcome = Outcome(plan, records, errors, list(existing.unreadable.values()))
    if dry_run:
        return outcome
    if plan.writes:
        _write(state_path, state_text(_pending(settled, plan)), midway=False)
    for relative, text in sorted(plan.writes.items()):
        _write(content / relative, text)
    for relative, (tree, source) in sorted(plan.copies.items()):
        try:
            data = tree.blobs.get(source) or (Path(tree.root) / source).read_bytes()
        except OSError as err:
            errors.append(f"{tree.root}/{source}: cannot read ({err.strerror}); not copied")
            continue
        target = content / relative
        try:
            same = target.read_bytes() == data
        except OSError:
            same = False
        if not same:
            _write(target, data)
    if plan.writes or not state_path.is_file() or state_text(plan.state) != state_text(state):
        _write(state_path, state_text(plan.state))
    return outcome


def _record(tree: Tree, skipped: Skipped) -> Record:
    shown = f"{tree.root}/{skipped.source}" if tree.root else skipped.source
    return Record(shown, "skipped", reason=skipped.reason)

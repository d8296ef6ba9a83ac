"""What the build folder holds is decided by content, and a folder or disk that fails says so.

- A static file put back with its old modification time and size (``cp -p``, ``rsync -a``,
  a backup restored) is copied to the site again; a same-size hand edit inside the site
  folder with its time put back does not survive the next build. A site folder copied
  whole with its times (a CI cache) is still the previous build's: nothing is rebuilt.
- A cache folder that is a file, cannot be entered, or a disk that fills up during a
  build stops it with one line, ``path: what is wrong; what to do``, never a traceback.
"""

from __future__ import annotations

import errno
import logging
import os
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort
from test_build_incremental import assert_same_site, cold_tree, mkdocs_build
from test_render_cache import tree, write_site

from zhiku import files
from zhiku.build import store as stores

pytestmark = pytest.mark.slow

# A PNG's first bytes and a stylesheet, as a post's folder holds them; each replacement
# below has the same size, so only the content tells them apart.
PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
PICTURE_NEW = b"\x89PNG\r\n\x1a\n" + bytes(reversed(range(64)))
STYLE = "/* 正文字体 */\n.md-typeset { font-size: 16px; }\n"
STYLE_NEW = "/* 正文字体 */\n.md-typeset { font-size: 18px; }\n"


def _put_back(path: Path, data: bytes, *, how: str) -> None:
    """Replace ``path``'s bytes with ``data`` and give it its old times, as ``how`` does."""
    old = path.stat()
    if how == "cp -p":  # writes into the same file, then copies the times
        path.write_bytes(data)
    else:  # rsync -a, a restored backup: a new file renamed over the old one
        fresh = path.with_name(f".{path.name}.incoming")
        fresh.write_bytes(data)
        fresh.replace(path)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert (path.stat().st_mtime_ns, path.stat().st_size) == (old.st_mtime_ns, old.st_size)


def _site_with_static_files(root: Path) -> Path:
    config_file = write_site(root)
    (root / "docs" / "img").mkdir()
    (root / "docs" / "img" / "diagram.png").write_bytes(PICTURE)
    (root / "docs" / "extra.css").write_text(STYLE, encoding="utf-8")
    return config_file


@pytest.mark.parametrize("how", ["cp -p", "rsync -a"])
def test_a_static_file_put_back_with_its_old_time_and_size_is_copied_again(
    how: str, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    config_file = _site_with_static_files(root)
    site = tmp_path / "site"
    mkdocs_build(config_file, site)
    assert (site / "img" / "diagram.png").read_bytes() == PICTURE

    _put_back(root / "docs" / "img" / "diagram.png", PICTURE_NEW, how=how)
    _put_back(root / "docs" / "extra.css", STYLE_NEW.encode("utf-8"), how=how)
    mkdocs_build(config_file, site)

    assert (site / "img" / "diagram.png").read_bytes() == PICTURE_NEW
    assert (site / "extra.css").read_text(encoding="utf-8") == STYLE_NEW
    assert_same_site(tree(site), cold_tree(config_file, tmp_path))


@pytest.mark.parametrize("how", ["cp -p", "rsync -a"])
def test_a_hand_edit_in_the_site_folder_with_its_time_put_back_does_not_survive(
    how: str, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    config_file = _site_with_static_files(root)
    site = tmp_path / "site"
    mkdocs_build(config_file, site)
    page = site / "a" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "甲" in text
    _put_back(page, text.replace("甲", "乙").encode("utf-8"), how=how)  # same UTF-8 length
    _put_back(site / "img" / "diagram.png", PICTURE_NEW, how=how)

    mkdocs_build(config_file, site)

    assert page.read_text(encoding="utf-8") == text
    assert (site / "img" / "diagram.png").read_bytes() == PICTURE
    assert_same_site(tree(site), cold_tree(config_file, tmp_path))


def test_a_site_folder_copied_whole_with_its_times_is_still_kept(tmp_path: Path) -> None:
    """As a CI cache restores it: every file new on disk, every byte and time the same."""
    root = tmp_path / "root"
    config_file = _site_with_static_files(root)
    site = tmp_path / "site"
    mkdocs_build(config_file, site)
    shutil.move(site, tmp_path / "aside")
    shutil.copytree(tmp_path / "aside", site)  # copy2: content and modification times

    assert mkdocs_build(config_file, site) == set()


@pytest.mark.parametrize("damage", ["cut short", "garbage"])
def test_a_damaged_store_costs_a_cold_build_and_a_log_line(
    damage: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "root"
    config_file = write_site(root)
    _with_search(config_file)
    site = tmp_path / "site"
    mkdocs_build(config_file, site)
    store = root / ".cache" / "zhiku" / stores.FILE_NAME
    data = store.read_bytes()
    store.write_bytes(data[: len(data) // 2] if damage == "cut short" else b"\x00garbage" * 999)

    with caplog.at_level(logging.INFO):
        mkdocs_build(config_file, site)

    said = [r.getMessage() for r in caplog.records if "is damaged" in r.getMessage()]
    assert said and str(store) in said[0] and "started afresh" in said[0]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert_same_site(tree(site), cold_tree(config_file, tmp_path))
    mkdocs_build(config_file, tmp_path / "again")  # the store works again
    assert tree(tmp_path / "again") == tree(site)


# -- every failure a sentence ---------------------------------------------------------------


def _one_error(caplog: pytest.LogCaptureFixture) -> str:
    """The build's error: one line, no traceback."""
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "no error logged"
    for record in errors:
        assert record.exc_info is None, f"a traceback: {record.getMessage()}"
        assert "\n" not in record.getMessage()
        assert "Traceback" not in record.getMessage()
    return errors[-1].getMessage()


def _with_search(config_file: Path) -> None:
    data = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    data["plugins"].append("zhiku/search")
    config_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("blocked", [".cache", ".cache/zhiku", ".cache/zhiku/jinja"])
def test_a_cache_folder_that_is_a_file_is_said_in_one_line(
    blocked: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "root"
    config_file = write_site(root)
    _with_search(config_file)
    (root / blocked).parent.mkdir(parents=True, exist_ok=True)
    (root / blocked).write_text("not a folder", encoding="utf-8")

    with pytest.raises(Abort):
        mkdocs_build(config_file, tmp_path / "site")

    message = _one_error(caplog)
    assert message.startswith(f"{root / blocked}: a file stands where Zhiku needs a folder")
    assert "move or delete it" in message


def test_a_folder_where_the_store_should_be_is_said_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "root"
    config_file = write_site(root)
    _with_search(config_file)
    (root / ".cache" / "zhiku" / stores.FILE_NAME).mkdir(parents=True)

    with pytest.raises(Abort):
        mkdocs_build(config_file, tmp_path / "site")

    message = _one_error(caplog)
    store = root / ".cache" / "zhiku" / stores.FILE_NAME
    assert message.startswith(f"{store}: a folder stands where Zhiku writes a file")


def test_a_full_disk_while_the_store_is_written_is_said_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = stores._connect

    def small(path: Path) -> sqlite3.Connection:
        db = connect(path)
        db.execute("PRAGMA max_page_count = 16")  # 64 KB: SQLite itself says "full"
        return db

    monkeypatch.setattr(stores, "_connect", small)
    root = tmp_path / "root"
    config_file = write_site(root)
    _with_search(config_file)
    with pytest.raises(Abort):
        mkdocs_build(config_file, tmp_path / "site")

    assert _one_error(caplog) == (
        f"{root / '.cache' / 'zhiku' / stores.FILE_NAME}: no space left on the disk; "
        "free some space and build again"
    )


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="root enters a chmod 000 folder anyway (a file in the way is tested above)",
)
def test_a_cache_folder_that_cannot_be_entered_is_said_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "root"
    config_file = write_site(root)
    closed = root / ".cache" / "zhiku"
    closed.mkdir(parents=True)
    closed.chmod(0)
    try:
        with pytest.raises(Abort):
            mkdocs_build(config_file, tmp_path / "site")
    finally:
        closed.chmod(0o755)
    assert "permission denied; make the folder writable" in _one_error(caplog)


def _disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_while_zhiku_writes_is_said_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    config_file = write_site(root)
    monkeypatch.setattr(files, "_replace", _disk_full, raising=False)

    with pytest.raises(Abort):
        mkdocs_build(config_file, tmp_path / "site")

    message = _one_error(caplog)
    assert message.startswith(str(tmp_path))
    assert message.endswith(": no space left on the disk; free some space and build again")


def test_a_full_disk_while_mkdocs_writes_a_page_is_said_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs import utils

    root = tmp_path / "root"
    config_file = write_site(root)
    site = tmp_path / "site"

    def full(content: bytes, output_path: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)

    monkeypatch.setattr(utils, "write_file", full)
    with pytest.raises(Abort):
        mkdocs_build(config_file, site)

    message = _one_error(caplog)
    assert message.startswith(str(site))
    assert message.endswith(": no space left on the disk; free some space and build again")


# -- the helper every cache write goes through ----------------------------------------------


def test_the_write_helper_names_the_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("", encoding="utf-8")
    with pytest.raises(OSError) as caught:
        files.write_atomic(tmp_path / "cache" / "jinja" / "page.cache", b"x")
    assert str(caught.value).startswith(f"{tmp_path / 'cache'}: a file stands where")
    assert isinstance(caught.value, OSError)  # callers that catch OSError still do


def test_a_folder_where_a_file_is_written_is_said(tmp_path: Path) -> None:
    (tmp_path / "page.cache").mkdir()
    with pytest.raises(OSError, match="a folder stands where Zhiku writes a file"):
        files.write_atomic(tmp_path / "page.cache", b"x")


@pytest.mark.parametrize(
    ("code", "says"),
    [
        (errno.EACCES, "permission denied; make the folder writable for this user"),
        (errno.ENOSPC, "no space left on the disk; free some space and build again"),
        (errno.EDQUOT, "no space left on the disk; free some space and build again"),
        (errno.EROFS, "the file system is read-only; build where it can be written"),
    ],
)
def test_each_kind_of_failure_is_one_line_naming_the_file(
    code: int, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files, "_replace", fail, raising=False)
    target = tmp_path / "cache" / "jinja" / "page.cache"
    with pytest.raises(OSError) as caught:
        files.write_atomic(target, b"x")
    assert str(caught.value).startswith(f"{target}: {says}")
    assert "\n" not in str(caught.value)
    assert caught.value.errno == code  # callers that look at errno still can
    again = pickle.loads(pickle.dumps(caught.value))  # as a worker process hands it on
    assert str(again) == str(caught.value)


def test_a_full_disk_as_the_search_job_is_handed_over_is_said_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile
    import types

    import zhiku.search.build as search_build

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # a write: no file name

    monkeypatch.setattr(
        search_build, "pickle", types.SimpleNamespace(dump=full, HIGHEST_PROTOCOL=5)
    )
    config_file = write_site(tmp_path / "root")
    _with_search(config_file)
    with pytest.raises(Abort):
        mkdocs_build(config_file, tmp_path / "site")
    assert _one_error(caplog) == (
        f"{tempfile.gettempdir()}: no space left on the disk; free some space and build again"
    )

"""Ingest's trust at the operating-system level: locking, killed runs, OS failures.

Concurrency and SIGKILL use real subprocesses; failures the test machine cannot
produce on demand (read-only file system, a full disk, permission denied for
root) are injected as the ``OSError`` the OS would raise.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from zhiku import cli, files
from zhiku.articles import parse_article
from zhiku.ingest.lock import content_lock

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
ZHIKU = Path(sys.executable).with_name("zhiku")
SEED_FILES = sorted(SEEDS.glob("*.txt"))
EXTRA_DUMP = (
    "LATEST UPDATES\nPython\n2026-01-20\n"
    "装饰器 Python 的装饰器是一个接收函数并返回新函数的可调用对象，常用于日志与缓存。\n"
)


def zhiku(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ZHIKU), *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def locked(state_dir: Path) -> bool:
    """Whether some process holds the ingest lock on ``state_dir`` (never waits)."""
    if not state_dir.is_dir():
        return False
    fd = os.open(state_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "dumps"
    shutil.copytree(SEEDS, folder)
    return folder


# -- invariant 5: runs exclude each other ----------------------------------------------


def test_a_second_run_waits_for_the_first_and_nothing_is_lost(tmp_path: Path) -> None:
    """Two runs at once (different dumps) end exactly as the same two runs one after the other.

    The first run reads a pipe, so it holds the lock until the test feeds it:
    the second run must say it waits, and may only start when the first is done.
    """
    pipe = tmp_path / "first.txt"
    os.mkfifo(pipe)
    first_dumps = [str(p) for p in SEED_FILES[:1]]
    second_dumps = [str(p) for p in SEED_FILES[1:]]
    content = tmp_path / "content"
    first = subprocess.Popen(
        [str(ZHIKU), "ingest", str(pipe), *first_dumps, "--content", str(content)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    second = None
    try:
        # The first run takes the lock before it reads its inputs (and blocks on the pipe).
        while not locked(content / ".zhiku"):
            assert first.poll() is None, first.communicate()
            select.select([], [], [], 0.05)
        second = subprocess.Popen(
            [str(ZHIKU), "ingest", *second_dumps, "--content", str(content)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert second.stderr is not None
        ready, _, _ = select.select([second.stderr], [], [], 120)
        assert ready, "the second run neither waited nor said so"
        waiting = second.stderr.readline()
        assert waiting.startswith(f"{content}: another zhiku ingest is writing this folder; ")
        assert first.poll() is None and second.poll() is None
        pipe.write_text(EXTRA_DUMP, encoding="utf-8")
        _, err1 = first.communicate(timeout=300)
        _, err2 = second.communicate(timeout=300)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2

    extra = tmp_path / "extra.txt"
    extra.write_text(EXTRA_DUMP, encoding="utf-8")
    one_by_one = tmp_path / "sequential"
    for dumps in ([str(extra), *first_dumps], second_dumps):
        done = zhiku("ingest", *dumps, "--content", str(one_by_one), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert snapshot(content) == snapshot(one_by_one)
    # And a third run over everything finds nothing new: no lost state entry, no duplicate.
    articles = sorted(content.glob("*.md"))
    third = zhiku(
        "ingest", str(extra), *map(str, SEED_FILES), "--content", str(content), cwd=tmp_path
    )
    assert third.returncode == 0, third.stderr
    assert " created" not in third.stdout
    assert sorted(content.glob("*.md")) == articles


def test_with_wait_0_a_busy_content_folder_is_one_line_and_status_75(
    tmp_path: Path, seeds: Path
) -> None:
    content = tmp_path / "content"
    with content_lock(content / ".zhiku", wait=0):
        result = zhiku("ingest", "dumps", "--content", "content", "--wait", "0", cwd=tmp_path)
    assert result.returncode == 75
    assert one_line(result.stderr) == (
        "content: another zhiku ingest is still writing this folder; "
        "let it finish (or stop it), then run again"
    )
    assert snapshot(content) == {}


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from zhiku import cli, files

    real = os.replace
    calls = 0

    def replace(src, dst):
        global calls
        calls += 1
        if calls == int(sys.argv[1]):
            os.kill(os.getpid(), signal.SIGKILL)  # mid-write: the temp file is on disk
        real(src, dst)

    files.os.replace = replace
    cli.main(sys.argv[2:])
    """
)


def killed_at(write: int, cwd: Path, *args: str) -> None:
    """Run ``zhiku *args`` and SIGKILL it at its ``write``-th file replace (see KILLER)."""
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, str(write), *args],
        cwd=cwd,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr


# 49 replaces for the seeds: the pending state, 47 articles, the final state.
@pytest.mark.parametrize("kill_at", [1, 25, 49])
def test_a_run_killed_at_any_write_is_finished_by_the_next(
    tmp_path: Path, seeds: Path, kill_at: int
) -> None:
    killed_at(kill_at, tmp_path, "ingest", "dumps", "--content", "content")
    content = tmp_path / "content"
    assert temp_files(content), "the kill should have left a temporary file"

    # The killed run's lock died with it: the next run gets in at once.
    after = zhiku("ingest", "dumps", "--content", "content", "--wait", "0", cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    assert temp_files(content) == []
    fresh = zhiku("ingest", "dumps", "--content", "fresh", cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    assert snapshot(content) == snapshot(tmp_path / "fresh")


def test_only_ingests_own_stale_temp_files_are_removed(tmp_path: Path, seeds: Path) -> None:
    content = tmp_path / "content"
    (content / ".zhiku").mkdir(parents=True)
    stale = [
        content / ".clip.md.k2j4_x9a.tmp",
        content / ".zhiku" / ".ingest-state.json.ab12cd34.tmp",
    ]
    kept = [content / "notes.tmp", content / ".draft.txt.ab12cd34.tmp", content / "a.md.tmp"]
    for path in (*stale, *kept):
        path.write_text("x", encoding="utf-8")
    assert zhiku("ingest", "dumps", "--content", "content", cwd=tmp_path).returncode == 0
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if p.exists()] == kept


# -- invariant 6: OS failures are one-line errors ------------------------------------------


def run_cli(*args: str) -> int:
    return cli.main(["ingest", *args])


@pytest.fixture()
def chdir(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _failing(err_no: int, after: int = 0):  # type: ignore[no-untyped-def]
    """An ``os.fsync`` that fails with ``err_no`` from its ``after + 1``-th call on."""
    real = os.fsync
    calls = {"n": 0}

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(err_no, os.strerror(err_no))
        real(fd)

    return fsync


@pytest.mark.parametrize(
    ("err_no", "message"),
    [
        (
            errno.EROFS,
            "content/.zhiku/ingest-state.json: the file system is read-only; "
            "make it writable or use another --content",
        ),
        (
            errno.EACCES,
            "content/.zhiku/ingest-state.json: permission denied; "
            "give your user write access to it and its folder, then run again",
        ),
        (
            errno.ENOSPC,
            "content/.zhiku/ingest-state.json: no space left on the device; "
            "free some space, then run again",
        ),
    ],
)
def test_a_write_that_fails_is_one_line_and_leaves_nothing_half_written(
    chdir: Path,
    seeds: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    err_no: int,
    message: str,
) -> None:
    monkeypatch.setattr(files.os, "fsync", _failing(err_no))
    assert run_cli("dumps", "--content", "content") == 2
    assert one_line(capsys.readouterr().err) == message
    assert snapshot(chdir / "content") == {}


def test_a_full_disk_midway_keeps_written_files_whole_and_the_next_run_finishes(
    chdir: Path,
    seeds: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(files.os, "fsync", _failing(errno.ENOSPC, after=11))
    assert run_cli("dumps", "--content", "content") == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith("content/")
    assert line.endswith(
        ": no space left on the device; free some space, then run again to finish "
        "(files already written are whole)"
    )
    assert len(list((chdir / "content").glob("*.md"))) == 10
    assert temp_files(chdir / "content") == []
    monkeypatch.undo()
    assert run_cli("dumps", "--content", "content") == 0
    assert run_cli("dumps", "--content", "fresh") == 0
    assert snapshot(chdir / "content") == snapshot(chdir / "fresh")


def test_a_read_only_content_folder_is_one_line(
    chdir: Path,
    seeds: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.name == ".zhiku" and not self.exists():
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        real_mkdir(self, *args, **kwargs)

    (chdir / "content").mkdir()
    monkeypatch.setattr(Path, "mkdir", mkdir)
    assert run_cli("dumps", "--content", "content") == 2
    assert one_line(capsys.readouterr().err) == (
        "content/.zhiku: the file system is read-only; make it writable or use another --content"
    )


def test_a_report_into_a_missing_folder_is_refused_before_anything_is_written(
    tmp_path: Path, seeds: Path
) -> None:
    result = zhiku(
        "ingest", "dumps", "--content", "content", "--report", "out/r.json", cwd=tmp_path
    )
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        "out/r.json: the folder out does not exist; create it or pick another --report path"
    )
    assert not (tmp_path / "content").exists()


def test_unreadable_content_is_named_skipped_and_left_untouched(
    tmp_path: Path, seeds: Path
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "gbk.md").write_bytes("---\ntitle: 中文\n---\n正文\n".encode("gbk"))
    (content / "folder.md").mkdir()
    (content / "folder.md" / "keep.txt").write_text("mine", encoding="utf-8")
    (content / "gone.md").symlink_to(tmp_path / "nowhere.md")
    before = snapshot(content)
    result = zhiku("ingest", "dumps", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "content/folder.md: a folder named like a Markdown file; "
        "ingest skipped it and left it as it is; rename the folder",
        "content/gbk.md:2: not UTF-8; ingest skipped it and left it as it is; save it as UTF-8",
        "content/gone.md: a link to a missing file; ingest skipped it and left it as it is; "
        "fix or remove the link",
    ]
    assert result.stdout.strip().endswith("; 3 content files skipped")
    after = snapshot(content)
    assert {k: after[k] for k in before} == before
    assert (content / "gone.md").is_symlink()
    assert len(list(content.glob("*.md"))) == 47 + 3


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (
            ["content"],
            "content: is the content folder; ingest reads scraped dumps, "
            "not its own articles: pass the dump files or their folder",
        ),
        (
            ["content/clip-suanfa-yuanli.md"],
            "content/clip-suanfa-yuanli.md: is inside the content folder content; ingest "
            "reads scraped dumps, not its own articles: pass the dump files or their folder",
        ),
        (
            ["dumps", "."],
            ".: holds the content folder content; pass the dump files or a folder that "
            "holds only dumps",
        ),
    ],
)
def test_ingesting_content_into_itself_is_refused(
    tmp_path: Path, seeds: Path, inputs: list[str], message: str
) -> None:
    assert zhiku("ingest", "dumps", "--content", "content", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "content")
    result = zhiku("ingest", *inputs, "--content", "content", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result.stderr) == message
    assert snapshot(tmp_path / "content") == before


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_files_respect_the_umask_and_edited_files_keep_their_mode(
    tmp_path: Path, seeds: Path, umask: int, mode: int
) -> None:
    result = subprocess.run(
        [str(ZHIKU), "ingest", "dumps", "--content", "content"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        preexec_fn=lambda: os.umask(umask),
    )
    assert result.returncode == 0, result.stderr
    written = [p for p in (tmp_path / "content").rglob("*") if p.is_file()]
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {oct(mode)}

    # A person's chmod survives ingest rewriting the file.
    article = tmp_path / "content" / "clip-suanfa-yuanli.md"
    article.chmod(0o640)
    article.write_text(article.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    files.write_atomic(article, "x")
    assert article.stat().st_mode & 0o777 == 0o640


# -- the same failures, real: a user namespace gives a read-only bind, a tiny disk, no rights --


def _unshare_works(*flags: str) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", *flags, "sh", "-c", "mount -t tmpfs -o size=8k tmpfs /mnt 2>/dev/null; true"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not _unshare_works("-rm"), reason="needs unshare and unprivileged user namespaces"
)


def in_namespace(flags: list[str], script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["unshare", *flags, "sh", "-ec", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "ZHIKU": str(ZHIKU)},
    )


@needs_namespaces
def test_real_read_only_content_is_one_line_and_untouched(tmp_path: Path, seeds: Path) -> None:
    assert zhiku("ingest", str(SEED_FILES[0]), "--content", "content", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "content")
    result = in_namespace(
        ["-rm"],
        'mount --bind -o ro content content; "$ZHIKU" ingest dumps --content content',
        tmp_path,
    )
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        "content/.zhiku/ingest-state.json: the file system is read-only; "
        "make it writable or use another --content"
    )
    assert snapshot(tmp_path / "content") == before


@needs_namespaces
def test_a_real_full_disk_leaves_whole_files_and_the_next_run_finishes(
    tmp_path: Path, seeds: Path
) -> None:
    result = in_namespace(
        ["-rm"],
        "mkdir small; mount -t tmpfs -o size=160k tmpfs small; "
        '"$ZHIKU" ingest dumps --content small || status=$?; '
        "cp -a small/. content; exit ${status:-0}",
        tmp_path,
    )
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("small/") and ": no space left on the device; " in line
    content = tmp_path / "content"
    written = list(content.glob("*.md"))
    assert 0 < len(written) < 47
    assert temp_files(content) == []
    for path in written:
        parse_article(path.name, path.read_text(encoding="utf-8"))
    assert zhiku("ingest", "dumps", "--content", "content", cwd=tmp_path).returncode == 0
    assert zhiku("ingest", "dumps", "--content", "fresh", cwd=tmp_path).returncode == 0
    assert snapshot(content) == snapshot(tmp_path / "fresh")


@needs_namespaces
def test_real_permission_denied_is_one_line_and_untouched(tmp_path: Path, seeds: Path) -> None:
    assert zhiku("ingest", str(SEED_FILES[0]), "--content", "content", cwd=tmp_path).returncode == 0
    content = tmp_path / "content"
    before = snapshot(content)
    content.chmod(0o555)
    (content / ".zhiku").chmod(0o555)
    try:
        # Without an id mapping even root is "others" to these files.
        result = in_namespace(["-U"], '"$ZHIKU" ingest dumps --content content', tmp_path)
    finally:
        content.chmod(0o755)
        (content / ".zhiku").chmod(0o755)
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        "content/.zhiku/ingest-state.json: permission denied; "
        "give your user write access to it and its folder, then run again"
    )
    assert snapshot(content) == before


SENTENCES = [
    "旋转位置编码把位置信息写进注意力的旋转角度里，让相对位置自然出现在内积中。"
    "这种编码最早由苏剑林提出，后来成为大语言模型里最常见的位置编码方案之一。",
    "它不需要额外的可学习参数，因此在长文本外推时比绝对位置编码更稳定。",
    "实现时把查询和键的每两个维度看成一个复数，再乘以与位置相关的单位复数。",
    "许多开源大模型都采用了这种做法，并在此基础上提出了各种插值方法。",
]


def day_dump(folder: Path, day: int) -> Path:
    """Day ``day``'s scrape of one article: each day's excerpt is longer than the last."""
    text = "".join(SENTENCES[: day + 1]) + ("" if day == len(SENTENCES) - 1 else "...")
    path = folder / f"day{day}.jsonl"
    record = {"title": "旋转位置编码", "date": "2026-01-10", "category": "Python", "text": text}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# The update run's replaces: 1 the state marking the update pending, 2 the article, 3 the state.
@pytest.mark.parametrize("kill_at", [1, 2, 3])
def test_an_update_killed_at_any_write_is_not_mistaken_for_a_hand_edit(
    tmp_path: Path, kill_at: int
) -> None:
    days = [day_dump(tmp_path, day) for day in range(3)]
    for content in ("content", "calm"):
        first = zhiku("ingest", str(days[0]), "--content", content, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
    killed_at(kill_at, tmp_path, "ingest", str(days[1]), "--content", "content")
    assert zhiku("ingest", str(days[1]), "--content", "calm", cwd=tmp_path).returncode == 0

    # The next day's run finishes the killed one: no conflict, no "hand edit", same files.
    for content in ("content", "calm"):
        after = zhiku(
            "ingest",
            str(days[2]),
            "--content",
            content,
            "--report",
            f"{content}.json",
            cwd=tmp_path,
        )
        assert after.returncode == 0, after.stderr
        assert "conflict" not in after.stderr
        report = json.loads((tmp_path / f"{content}.json").read_text(encoding="utf-8"))
        assert [a["hand_edited"] for a in report["articles"]] == [[]]
        assert [a["status"] for a in report["articles"]] == ["updated"]
    assert snapshot(tmp_path / "content") == snapshot(tmp_path / "calm")


def test_a_linked_article_stays_a_link_and_its_target_is_updated(tmp_path: Path) -> None:
    days = [day_dump(tmp_path, day) for day in range(2)]
    assert zhiku("ingest", str(days[0]), "--content", "content", cwd=tmp_path).returncode == 0
    article = tmp_path / "content" / "xuanzhuan-weizhi-bianma.md"
    kept = tmp_path / "elsewhere.md"
    article.rename(kept)
    article.symlink_to(kept)
    result = zhiku("ingest", str(days[1]), "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert article.is_symlink()
    assert SENTENCES[1] in kept.read_text(encoding="utf-8")


def test_a_content_path_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "dumps").mkdir()
    (tmp_path / "dumps" / "a.txt").write_text(EXTRA_DUMP, encoding="utf-8")
    result = zhiku("ingest", "dumps", "--content", "dumps/a.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        "dumps/a.txt: is a file, not a folder; pass --content a folder"
    )


def test_wait_takes_seconds(tmp_path: Path) -> None:
    result = zhiku("ingest", "x.txt", "--wait", "-1", cwd=tmp_path)
    assert result.returncode == 2
    assert "--wait: '-1' is not a number of seconds (0 or more)" in result.stderr


def test_a_file_system_without_locks_is_one_line(
    chdir: Path,
    seeds: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from zhiku.ingest import lock

    def flock(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(lock.fcntl, "flock", flock)
    assert run_cli("dumps", "--content", "content") == 2
    assert one_line(capsys.readouterr().err) == (
        "content/.zhiku: this file system cannot lock files; keep content/ on a local disk"
    )
    assert snapshot(chdir / "content") == {}

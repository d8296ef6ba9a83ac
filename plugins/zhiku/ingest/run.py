"""The ingest I/O shell: read inputs and content/, plan, write atomically, report.

Writes go through :func:`zhiku.files.write_atomic`, so an interrupted run
leaves every file either as it was or complete; the next run removes the
temporary files a killed one left and finishes its work. One run at a time
holds the content folder (:mod:`zhiku.ingest.lock`). Ingest never deletes an
article; content it cannot read is named and left alone. Operating-system
failures end the run with one line (:class:`IngestError`), never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from zhiku.files import remove_stale_temps, write_atomic
from zhiku.ingest.cards import Dump, DumpError, parse_jsonl_dump, parse_text_dump
from zhiku.ingest.classify import Matcher
from zhiku.ingest.decode import UnreadableInput, decode_dump
from zhiku.ingest.lock import LockTimeout, content_lock
from zhiku.ingest.plan import Plan, plan_ingest, sha
from zhiku.ingest.rules import Rules, load_rules

STATE_DIR = ".zhiku"
STATE_FILE = "ingest-state.json"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
# Seconds a run waits for another run on the same content folder.
DEFAULT_WAIT = 600.0
# The files ingest writes; a killed run leaves temporary files only for these.
TEMP_TARGETS = (".md", ".json")


@dataclass(slots=True)
class Outcome:
    """What a run did (or, with ``dry_run``, would do)."""

    plan: Plan
    errors: list[str] = field(default_factory=list)  # inputs that could not be read
    inputs: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # content files left untouched

    def report(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "errors": self.errors,
            "skipped": self.skipped,
            "articles": self.plan.articles,
            "cards": self.plan.cards,
        }


class IngestError(Exception):
    """A run that cannot start or go on; ``str()`` is one line ``path: what; what to do``."""

    exit_code = 2


class ContentBusy(IngestError):
    """Another run kept the content folder locked for the whole wait."""

    exit_code = 75  # EX_TEMPFAIL: try again later


def os_failure(path: Path | str, err: OSError, *, midway: bool = False) -> str:
    """One line for an operating-system failure on ``path``."""
    then = "run again to finish (files already written are whole)" if midway else "run again"
    if err.errno == errno.EROFS:
        return f"{path}: the file system is read-only; make it writable or use another --content"
    if err.errno in (errno.EACCES, errno.EPERM):
        return (
            f"{path}: permission denied; give your user write access to it and its folder, "
            f"then {then}"
        )
    if err.errno in (errno.ENOLCK, errno.EOPNOTSUPP):
        return f"{path}: this file system cannot lock files; keep content/ on a local disk"
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{path}: no space left on the device; free some space, then {then}"
    return f"{path}: {err.strerror or err}; check the path, then {then}"


def refuse_content_inputs(inputs: Sequence[str], content: Path) -> None:
    """Refuse inputs that are, hold or sit inside ``content``: ingest reads dumps, not articles."""
    root = content.resolve()
    for raw in inputs:
        path = Path(raw).resolve()
        if path == root or root in path.parents:
            where = (
                "is the content folder"
                if path == root
                else f"is inside the content folder {content}"
            )
            raise IngestError(
                f"{raw}: {where}; ingest reads scraped dumps, not its own articles: "
                "pass the dump files or their folder"
            )
        if path in root.parents:
            raise IngestError(
                f"{raw}: holds the content folder {content}; pass the dump files or a "
                "folder that holds only dumps"
            )


def collect_inputs(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """Files to read (folders expanded, sorted; hidden files skipped) and errors.

    A path named on its own may be any readable non-folder, such as a pipe
    (``zhiku ingest <(scrape)``); inside folders only regular files count.
    """
    files: list[str] = []
    errors: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                errors.append(f"{raw}: the folder holds no files; point ingest at the dumps")
            files.extend(str(p) for p in found)
        elif path.exists():
            files.append(str(path))
        else:
            errors.append(f"{raw}: no such file or folder; check the path")
    return list(dict.fromkeys(files)), errors


NOTE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
# Front matter a note opens with: YAML `---` then a `key:` line, or Hugo's TOML `+++`.
_FRONT_MATTER = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:---[ \t]*\r?\n(?:[ \t]*\r?\n)*[\w-]+[ \t]*:|\+\+\+[ \t]*\r?\n)"
)


def refuse_notes(files: Sequence[str]) -> None:
    """Refuse Markdown files with front matter: they are notes to import, not dumps."""
    for path in files:
        if not path.lower().endswith(NOTE_SUFFIXES):
            continue
        try:
            with Path(path).open("rb") as handle:
                head = handle.read(4096)
        except OSError:
            continue  # read_dump names it
        if _FRONT_MATTER.match(head):
            raise IngestError(
                f"{path}:1: a Markdown note with front matter, not a scraped dump; "
                "bring notes in with `zhiku import FOLDER` instead"
            )


def read_dump(path: str, rules: Rules) -> Dump:
    """Read and parse one input; unreadable input becomes a Dump with one error."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        return Dump(
            path,
            (),
            (),
            (DumpError(path, None, f"cannot read ({err.strerror}); check permissions"),),
        )
    try:
        text = decode_dump(data)
    except UnreadableInput as err:
        return Dump(path, (), (), (DumpError(path, None, str(err)),))
    first = text.lstrip()[:1]
    if path.lower().endswith(JSONL_SUFFIXES) or first == "{":
        return parse_jsonl_dump(path, text)
    return parse_text_dump(path, text, rules.chrome_lines)


@dataclass(frozen=True, slots=True)
class Content:
    """The Markdown files of content/: the readable ones, and one line per unreadable one."""

    texts: dict[str, str]  # relative POSIX path -> text
    unreadable: dict[str, str]  # relative POSIX path -> ``path: what; what to do``


def read_content(content: Path) -> Content:
    """Every Markdown file under ``content``; what cannot be read is named, never touched."""
    texts: dict[str, str] = {}
    unreadable: dict[str, str] = {}
    if not content.is_dir():
        return Content(texts, unreadable)
    skipped = "ingest skipped it and left it as it is"
    for path in sorted(content.rglob("*.md")):
        relative = path.relative_to(content)
        if any(part.startswith(".") for part in relative.parts):
            continue
        key = relative.as_posix()
        if path.is_symlink() and not path.exists():
            unreadable[key] = f"{path}: a link to a missing file; {skipped}; fix or remove the link"
        elif path.is_dir():
            unreadable[key] = (
                f"{path}: a folder named like a Markdown file; {skipped}; rename the folder"
            )
        else:
            try:
                data = path.read_bytes()
            except OSError as err:
                unreadable[key] = f"{path}: cannot read ({err.strerror}); {skipped}; check it"
                continue
            try:
                texts[key] = data.decode("utf-8")
            except UnicodeDecodeError as err:
                line = data[: err.start].count(b"\n") + 1
                unreadable[key] = f"{path}:{line}: not UTF-8; {skipped}; save it as UTF-8"
    return Content(texts, unreadable)


def state_text(state: dict[str, Any]) -> str:
    return json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# The journal an interrupted run leaves in a state entry (see ``pending_state``).
_JOURNAL = ("pending", "written_sha256", "previous")


def pending_state(old: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """The old state plus the intent of this run, written before any article.

    Every entry whose file this run writes is marked ``pending``, with the hash of
    the text about to be written and, for an update, the entry as it was
    (``previous``). A run killed before its final state leaves these marks;
    :func:`settle_pending` reads them against the files to tell which writes
    happened, so the next run neither mistakes ingest's own write for a hand
    edit nor forgets a file it never wrote.
    """
    articles = dict(old.get("articles", {}))
    planned = plan.state.get("articles", {})
    key_of = {entry["file"]: key for key, entry in planned.items()}
    for path, text in plan.writes.items():
        key = key_of.get(path)
        if key is None:
            continue
        entry = {**planned[key], "pending": True, "written_sha256": sha(text)}
        before = articles.get(key)
        if before is not None:
            entry["previous"] = {k: v for k, v in before.items() if k not in _JOURNAL}
        articles[key] = entry
    return {**old, "articles": articles, "version": plan.state.get("version")}


def settle_pending(state: Mapping[str, Any], texts: Mapping[str, str]) -> dict[str, Any]:
    """``state`` with the marks of an interrupted run resolved against the files in ``texts``.

    A file that holds what the run meant to write was written: its new entry
    stands. An update that did not happen falls back to its previous entry. A
    new file that was never written stays pending, and the plan creates it.
    """
    articles: dict[str, Any] = {}
    for key, entry in state.get("articles", {}).items():
        if not entry.get("pending") or "written_sha256" not in entry:
            articles[key] = entry
            continue
        text = texts.get(entry["file"])
        written = text is not None and sha(text) == entry["written_sha256"]
        if written or (text is not None and "previous" not in entry):
            articles[key] = {k: v for k, v in entry.items() if k not in _JOURNAL}
        elif "previous" in entry:
            articles[key] = entry["previous"]
        else:
            articles[key] = entry
    return {**state, "articles": articles}


def _warn(line: str) -> None:
    print(line, file=sys.stderr)


def ingest(
    inputs: Sequence[str],
    content: Path,
    *,
    dry_run: bool = False,
    progress: bool | None = None,
    wait: float = DEFAULT_WAIT,
    notice: Callable[[str], None] = _warn,
) -> Outcome:
    """Ingest ``inputs`` into ``content``; with ``dry_run`` nothing is written.

    A real run holds ``content``'s ingest lock from reading to the last write
    (waiting up to ``wait`` seconds for another run, telling ``notice``), and
    first removes the temporary files a killed run left. Raises
    :class:`IngestError` (one line) when the run cannot start or go on.
    """
    if content.exists() and not content.is_dir():
        raise IngestError(f"{content}: is a file, not a folder; pass --content a folder")
    refuse_content_inputs(inputs, content)
    if dry_run:
        return _ingest(inputs, content, dry_run=True, progress=progress)
    try:
        with content_lock(content / STATE_DIR, wait=wait, notice=notice):
            remove_stale_temps(content, TEMP_TARGETS)
            return _ingest(inputs, content, dry_run=False, progress=progress)
    except LockTimeout as err:
        raise ContentBusy(str(err)) from err
    except OSError as err:
        raise IngestError(os_failure(err.filename or content / STATE_DIR, err)) from err


def _read_state(state_path: Path) -> dict[str, Any]:
    try:
        text = state_path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as err:
        raise IngestError(
            f"{state_path}: the ingest state is not UTF-8; restore it from version control"
        ) from err
    except OSError as err:
        raise IngestError(os_failure(state_path, err)) from err
    try:
        state: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as err:
        raise IngestError(
            f"{state_path}:{err.lineno}: the ingest state is not valid JSON ({err.msg}); "
            "restore it from version control"
        ) from err
    return state


def _newest_date(dumps: Sequence[Dump]) -> dt.date:
    """The newest modification date of the inputs (today when none can tell)."""
    dates = []
    for dump in dumps:
        with contextlib.suppress(OSError):
            mtime = Path(dump.source).stat().st_mtime
            dates.append(dt.datetime.fromtimestamp(mtime, dt.timezone.utc).date())
    return max(dates) if dates else dt.datetime.now(dt.timezone.utc).date()


def _plan(
    dumps: Sequence[Dump],
    rules: Rules,
    state: Mapping[str, Any],
    content: Content,
    fallback: dt.date,
    show: bool,
) -> Plan:
    return plan_ingest(
        dumps,
        rules,
        Matcher(rules),
        state=state,
        existing=content.texts,
        fallback_date=fallback,
        progress=lambda groups: tqdm(
            groups, desc="整理", unit="篇", disable=not show, file=sys.stderr
        ),
        # Content paths that exist but could not be read: never planned over.
        unreadable=sorted(content.unreadable),
    )


def _write(path: Path, text: str, *, midway: bool = True) -> None:
    try:
        # A person's link (content/x.md -> elsewhere) stays a link: its target is updated.
        write_atomic(path.resolve() if path.is_symlink() else path, text)
    except OSError as err:
        raise IngestError(os_failure(path, err, midway=midway)) from err


def _ingest(
    inputs: Sequence[str], content: Path, *, dry_run: bool, progress: bool | None
) -> Outcome:
    rules = load_rules(content / STATE_DIR)
    files, errors = collect_inputs(inputs)
    refuse_notes(files)
    show = sys.stderr.isatty() if progress is None else progress
    dumps: list[Dump] = []
    input_records: list[dict[str, Any]] = []
    for path in tqdm(files, desc="读取", unit="file", disable=not show, file=sys.stderr):
        dump = read_dump(path, rules)
        errors.extend(str(e) for e in dump.errors)
        unreadable = bool(dump.errors) and not dump.cards and not dump.rejected
        input_records.append({"input": path, "cards": len(dump.cards), "readable": not unreadable})
        dumps.append(dump)
    readable = [d for d in dumps if d.cards or d.rejected]
    state_path = content / STATE_DIR / STATE_FILE
    state = _read_state(state_path)
    existing = read_content(content)
    settled = settle_pending(state, existing.texts)
    plan = _plan(readable, rules, settled, existing, _newest_date(readable), show)
    skipped = list(existing.unreadable.values())
    for relative in sorted(set(plan.writes) & set(existing.unreadable)):
        # Whatever is there could not be read, so it cannot be merged: never replace it.
        del plan.writes[relative]
        skipped.append(
            f"{content / relative}: ingest has an article for this path but cannot read "
            "what is there; fix that file, then run again"
        )
    outcome = Outcome(plan, errors, input_records, skipped)
    if not dry_run:
        writes: Iterable[tuple[str, str]] = sorted(plan.writes.items())
        if plan.writes:
            # Record new files before writing them: if this run is interrupted, the
            # next one knows they are ingest's (not a person's) and finishes the job.
            _write(state_path, state_text(pending_state(settled, plan)), midway=False)
        for relative, text in tqdm(
            list(writes), desc="写入", unit="file", disable=not show, file=sys.stderr
        ):
            _write(content / relative, text)
        # After writes the file holds the pending journal: always replace it. Otherwise
        # compare values first (encoding thousands of entries twice costs more than that).
        if (
            plan.writes
            or not state_path.is_file()
            or (plan.state != state and state_text(plan.state) != state_text(state))
        ):
            _write(state_path, state_text(plan.state))
    return outcome

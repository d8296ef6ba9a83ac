"""The ingest I/O shell: read inputs and content/, plan, write atomically, report.

Writes go to a temporary file next to the target, then ``os.replace`` it in,
so an interrupted run leaves every file either as it was or complete. The
temporary name starts with a dot, which MkDocs never publishes. Ingest never
deletes a file in content/.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from zhiku.ingest.cards import Dump, DumpError, parse_jsonl_dump, parse_text_dump
from zhiku.ingest.classify import Matcher
from zhiku.ingest.decode import UnreadableInput, decode_dump
from zhiku.ingest.plan import Plan, plan_ingest
from zhiku.ingest.rules import Rules, load_rules

STATE_DIR = ".zhiku"
STATE_FILE = "ingest-state.json"
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(slots=True)
class Outcome:
    """What a run did (or, with ``dry_run``, would do)."""

    plan: Plan
    errors: list[str] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "errors": self.errors,
            "articles": self.plan.articles,
            "cards": self.plan.cards,
        }


def collect_inputs(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """Files to read (folders expanded, sorted; hidden files skipped) and errors."""
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
        elif path.is_file():
            files.append(str(path))
        else:
            errors.append(f"{raw}: no such file or folder; check the path")
    return list(dict.fromkeys(files)), errors


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


def read_content(content: Path) -> dict[str, str]:
    """Every Markdown file under ``content`` (relative POSIX path -> text)."""
    result: dict[str, str] = {}
    if not content.is_dir():
        return result
    for path in sorted(content.rglob("*.md")):
        relative = path.relative_to(content)
        if any(part.startswith(".") for part in relative.parts):
            continue
        result[relative.as_posix()] = path.read_text(encoding="utf-8")
    return result


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step (temp file in the same folder + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def state_text(state: dict[str, Any]) -> str:
    return json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def pending_state(old: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """The old state plus this run's new files, marked pending until they are written."""
    articles = dict(old.get("articles", {}))
    known = {entry.get("file") for entry in articles.values()}
    for key, entry in plan.state.get("articles", {}).items():
        if key not in articles and entry["file"] not in known:
            articles[key] = {**entry, "pending": True}
    return {**old, "articles": articles, "version": plan.state.get("version")}


def ingest(
    inputs: Sequence[str],
    content: Path,
    *,
    dry_run: bool = False,
    progress: bool | None = None,
) -> Outcome:
    """Ingest ``inputs`` into ``content``; with ``dry_run`` nothing is written."""
    rules = load_rules(content / STATE_DIR)
    files, errors = collect_inputs(inputs)
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
    mtimes = [
        dt.datetime.fromtimestamp(Path(d.source).stat().st_mtime, dt.timezone.utc).date()
        for d in readable
    ]
    fallback = max(mtimes) if mtimes else dt.datetime.now(dt.timezone.utc).date()
    state_path = content / STATE_DIR / STATE_FILE
    state: dict[str, Any] = {}
    if state_path.is_file():
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise SystemExit(
                f"{state_path}:{err.lineno}: the ingest state is not valid JSON ({err.msg}); "
                "restore it from version control"
            ) from err
    existing = read_content(content)
    plan = plan_ingest(
        readable,
        rules,
        Matcher(rules),
        state=state,
        existing=existing,
        fallback_date=fallback,
        progress=lambda groups: tqdm(
            groups, desc="整理", unit="篇", disable=not show, file=sys.stderr
        ),
    )
    outcome = Outcome(plan, errors, input_records)
    if not dry_run:
        writes: Iterable[tuple[str, str]] = sorted(plan.writes.items())
        if plan.writes:
            # Record new files before writing them: if this run is interrupted, the
            # next one knows they are ingest's (not a person's) and finishes the job.
            write_atomic(state_path, state_text(pending_state(state, plan)))
        for relative, text in tqdm(
            list(writes), desc="写入", unit="file", disable=not show, file=sys.stderr
        ):
            write_atomic(content / relative, text)
        new_state = state_text(plan.state)
        old_state = state_path.read_text(encoding="utf-8") if state_path.is_file() else None
        if new_state != old_state:
            write_atomic(state_path, new_state)
    return outcome

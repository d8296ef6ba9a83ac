"""The ``zhiku`` console script: arguments -> ingest or import -> exit status."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from zhiku import __version__
from zhiku.importers.model import KINDS


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also NaN
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more)")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhiku",
        description="知库 Zhiku: turn scraped LATEST UPDATES dumps into a Markdown knowledge base.",
    )
    parser.add_argument("--version", action="version", version=f"zhiku {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    ingest = commands.add_parser(
        "ingest",
        help="ingest scraped dumps into content/",
        description=(
            "Read text dumps (UTF-8, GB18030/GBK, with or without BOM) and JSON Lines "
            "dumps, and write one Markdown file per distinct article into the content "
            "folder. Re-running changes nothing; hand edits in content/ survive."
        ),
    )
    _add_shared(ingest, "INPUT", "dump files or folders of dumps", "of every card")
    ingest.add_argument(
        "--dry-run", action="store_true", help="print what would be written, merged or rejected"
    )
    imp = commands.add_parser(
        "import",
        help="import an existing notes folder (Hexo, Hugo, Jekyll, Obsidian, MkDocs, Markdown)",
        description=(
            "Bring the notes of a blog, vault or docs folder into the content folder: "
            "front matter, images and links made to work, old URLs kept as redirects. "
            "Re-running changes nothing; hand edits in content/ survive."
        ),
    )
    _add_shared(imp, "SRC", "folders of notes", "of every file")
    imp.add_argument(
        "--dry-run", action="store_true", help="print what would happen; write nothing"
    )
    imp.add_argument(
        "--from",
        dest="kind",
        choices=KINDS,
        help="the kind of the folders (default: detected)",
    )
    return parser


def _add_shared(command: argparse.ArgumentParser, metavar: str, inputs: str, reported: str) -> None:
    """The inputs and the options ingest and import share: --content, --report, --wait."""
    command.add_argument("inputs", nargs="+", metavar=metavar, help=inputs)
    command.add_argument(
        "--content", default="content", metavar="DIR", help="content folder (default: content)"
    )
    command.add_argument("--report", metavar="FILE.json", help=f"write a JSON report {reported}")
    command.add_argument(
        "--wait",
        type=_seconds,
        default=600.0,
        metavar="SECONDS",
        help=(
            "when another run is writing the same content folder, wait this long for it "
            "(default: 600; 0: exit at once with status 75)"
        ),
    )


def _report_folder_error(report: str) -> str | None:
    folder = Path(report).parent
    if folder.is_dir():
        return None
    what = "is not a folder" if folder.exists() else "does not exist"
    return f"{report}: the folder {folder} {what}; create it or pick another --report path"


def _write_report(path: str, report: object) -> bool:
    """Write the ``--report`` JSON; False (the reason said on stderr) when it cannot be."""
    from zhiku.files import write_atomic
    from zhiku.ingest.run import os_failure

    try:
        write_atomic(Path(path), json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    except OSError as err:
        print(os_failure(path, err), file=sys.stderr)
        return False
    return True


def _run_ingest(args: argparse.Namespace) -> int:
    from zhiku.ingest.rules import RulesError
    from zhiku.ingest.run import IngestError, ingest

    # Checked first, so a report that cannot be written stops the run before it writes.
    problem = _report_folder_error(args.report) if args.report else None
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        outcome = ingest(args.inputs, Path(args.content), dry_run=args.dry_run, wait=args.wait)
    except (RulesError, IngestError) as err:
        print(err, file=sys.stderr)
        return getattr(err, "exit_code", 2)
    plan = outcome.plan
    for error in (*outcome.errors, *outcome.skipped):
        print(error, file=sys.stderr)
    would = "would be " if args.dry_run else ""
    articles, cards = plan.article_records, plan.card_records
    if args.dry_run:
        for article in articles:
            if article.status != "unchanged":
                print(f"{article.status}: {article.file}  {article.title}")
        for card in cards:
            if card.status == "merged":
                print(f"merged: {card.where} -> {card.file}")
            elif card.status == "rejected":
                print(f"rejected: {card.where}: {card.reason}")
    for article in articles:
        for conflict in article.conflicts:
            print(f"conflict: {article.file}: {conflict}", file=sys.stderr)
    for card in cards:
        for warning in card.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    article_counts = Counter(a.status for a in articles)
    card_counts = Counter(c.status for c in cards)
    print(
        f"{len(articles)} articles {would}in {args.content}: "
        + ", ".join(f"{n} {s}" for s, n in sorted(article_counts.items()))
        + f"; {len(cards)} cards: "
        + ", ".join(f"{n} {s}" for s, n in sorted(card_counts.items()))
        + (f"; {len(outcome.errors)} inputs not read" if outcome.errors else "")
        + (f"; {len(outcome.skipped)} content files skipped" if outcome.skipped else "")
    )
    if args.report and not _write_report(args.report, outcome.report()):
        return 2
    return 1 if outcome.errors or outcome.skipped else 0


def _run_import(args: argparse.Namespace) -> int:
    from zhiku.importers.run import import_notes
    from zhiku.ingest.run import IngestError

    problem = _report_folder_error(args.report) if args.report else None
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        outcome = import_notes(
            args.inputs, Path(args.content), kind=args.kind, dry_run=args.dry_run, wait=args.wait
        )
    except IngestError as err:
        print(err, file=sys.stderr)
        return getattr(err, "exit_code", 2)
    for line in (*outcome.errors, *outcome.skipped):
        print(line, file=sys.stderr)
    would = "would be " if args.dry_run else ""
    records = outcome.plan.records
    for record in records:
        if record.status == "failed":
            continue  # said above, with the errors
        if record.status == "skipped":
            print(f"skipped: {record.source}: {record.reason}")
        elif args.dry_run and record.status != "unchanged":
            print(f"{record.status}: {record.source} -> {record.file}  {record.title}")
        for conflict in record.conflicts:
            print(f"conflict: {record.file}: {conflict}", file=sys.stderr)
        for note in record.notes:
            print(f"note: {record.source}: {note}", file=sys.stderr)
    for source in outcome.inputs:
        print(f"{source['input']}: read as {source['kind']}, {source['notes']} notes")
    counts = Counter(r.status for r in records)
    print(
        f"{len(records)} files {would}in {args.content}: "
        + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        + f"; {len(outcome.plan.copies)} images and attachments"
    )
    if args.report and not _write_report(args.report, outcome.report()):
        return 2
    return 1 if outcome.failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "ingest":
        return _run_ingest(args)
    if args.command == "import":
        return _run_import(args)
    return 2  # argparse rejects unknown commands before this


if __name__ == "__main__":
    sys.exit(main())

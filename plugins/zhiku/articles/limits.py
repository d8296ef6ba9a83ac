"""What one Markdown file may hold, so that no single file makes a build crawl.

Zhiku's own passes over a page are linear in its size. Python-Markdown and its
extensions are not, in four shapes, measured in ``scripts/README.md`` ("Hostile
articles"); rather than let one file hang a build for minutes, a file past a limit is
refused with ``path:line: what; limit; what to do`` (README, Limits):

- **size**: every pass costs time per byte (syntax highlighting most); a 20 MB body
  would take minutes;
- **lines**: Markdown drops blank lines one at a time from the front of a list, which
  is quadratic (a million blank lines: most of a minute);
- **fenced code blocks**: each is highlighted on its own (a millisecond or two apiece),
  and pymdownx.superfences puts each back into the page by copying the list of all its
  lines (blocks times lines);
- **links in long paragraphs**: Markdown's link parser scans the whole paragraph again
  for each link or image in it (``[``), so a paragraph of 1,000 links costs 1,000 times
  its length; the sum over the paragraphs of brackets times characters is capped.
"""

from __future__ import annotations

import re

from zhiku.articles.model import ArticleError

MAX_BYTES = 1 << 20
"""Largest Markdown file, in bytes of UTF-8 (1 MiB: some 350,000 Chinese characters)."""
MAX_LINES = 50_000
MAX_FENCES = 2_000
MAX_LINK_WORK = 5_000_000
"""Most ``[`` times paragraph length, summed over an article's paragraphs."""

_FENCE = re.compile(r"[ \t]*(?:[-*+>][ \t]+|\d+[.)][ \t]+)*(`{3,}|~{3,})")
# A line that starts a block of its own: Markdown parses its inline text apart.
_OWN_BLOCK = re.compile(r"[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|#|\|)")


def check_limits(path: str, text: str) -> None:
    """Raise :class:`ArticleError` when ``text`` (the file ``path``) passes a limit."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ArticleError(
            path,
            1,
            f"the file is {size / 2**20:.2f} MiB and a page may be at most "
            f"{MAX_BYTES // 2**20} MiB; split it into several articles, and move any "
            "pasted (base64) images out into image files",
        )
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        raise ArticleError(
            path,
            MAX_LINES + 1,
            f"the file has {len(lines):,} lines and a page may have at most {MAX_LINES:,}; "
            "split it into several articles or remove runs of blank lines",
        )
    _check_blocks(path, lines)


def _check_blocks(path: str, lines: list[str]) -> None:
    fences = 0
    fence = ""  # the open fence's marker, "" outside code
    work = 0
    worst = (0, 0, 0, 0)  # (work, line, brackets, characters) of the costliest paragraph
    start, brackets, chars = 0, 0, 0

    def close() -> None:
        nonlocal work, worst, brackets, chars
        cost = brackets * chars
        work += cost
        if cost > worst[0]:
            worst = (cost, start, brackets, chars)
        brackets = chars = 0

    for number, line in enumerate(lines, 1):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1).startswith(fence) and not line[opened.end() :].strip():
                fence = ""
            continue
        if opened:
            close()
            fences += 1
            if fences > MAX_FENCES:
                raise ArticleError(
                    path,
                    number,
                    f"this is fenced code block {fences:,} and a page may have at most "
                    f"{MAX_FENCES:,}; split the page into several articles",
                )
            fence = opened.group(1)
            continue
        if not line.strip():
            close()
            continue
        if _OWN_BLOCK.match(line):
            close()
        if not chars:
            start = number
        brackets += line.count("[")
        chars += len(line) + 1
    close()
    if work > MAX_LINK_WORK:
        _, at, count, length = worst
        raise ArticleError(
            path,
            at,
            f"Markdown reads a paragraph again for each link or image in it, and this "
            f"page's paragraphs cost {work / 1e6:.0f} million characters of reading "
            f"(this one: {count:,} links × {length:,} characters) where a page may cost "
            f"{MAX_LINK_WORK // 1_000_000} million; put the links in a list, one per item, "
            "or split long paragraphs",
        )

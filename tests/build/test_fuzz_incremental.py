"""A differential fuzzer: after any sequence of edits, a warm build is a cold build.

A Hypothesis rule-based state machine keeps a small knowledge base (a home page, a few
articles with the front matter writers use: categories, tags, series, papers, pinned,
drafts, wiki and Markdown links; a theme override; a static file) and applies random
edits of every kind a writer makes, ``mkdocs.yml`` and ``ZHIKU_TODAY`` included. After
each step the site is built warm (the same site folder and ``.cache`` as every step
before, fresh plugins as a new ``mkdocs build`` process has) and cold (a copy of the
sources in a new folder, no cache), and the two site folders must be equal file for
file: pages, listings, feeds, sitemap, search index. A build that fails warm must fail
cold too. :class:`ServedSite` does the same with one ``mkdocs serve`` session.

CI runs a few short sequences; ``scripts/fuzz_incremental.py`` runs long ones.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from mkdocs.commands import build as build_command
from mkdocs.commands import serve
from mkdocs.config import load_config
from test_build_incremental import assert_same_site
from test_render_cache import tree
from test_serve_incremental import plugins_of

from zhiku.glue import engine

pytestmark = pytest.mark.slow

SERVED = "http://127.0.0.1:8000/"
NAMES = ("attn", "ddpm", "vae", "lora", "jieba", "clip")
TITLES = ("注意力机制", "扩散模型", "变分自编码器", "低秩微调", "中文分词", "对比学习")
DATES = ("2025-06-01", "2026-01-10", "2026-01-15", "2026-02-20", "2026-04-01", "2099-01-01")
TODAYS = ("2026-01-12", "2026-03-01", "2026-12-31")
CATEGORIES = ("大模型", "生成模型", "工程")
TAGS = ("Transformer", "扩散", "显存", "分词", "VAE")
SENTENCES = (
    "注意力让每个词看到整句话。",
    "扩散模型一步步去掉噪声。",
    "显存不够时可以用梯度检查点。",
    "公式 \\(a^2+b^2=c^2\\) 在这里。",
    "## 小结\n\n本文讲了原理。",
    "```python\nprint('你好')\n```",
)
OVERRIDES = ("版本一", "版本二", "版本三")
HOME = "---\ntitle: 测试站\n---\n\n# 测试站\n\n{intro}\n"


@dataclass
class Note:
    """One article as its writer left it; :meth:`text` is the file."""

    title: str
    date: str
    category: str
    tags: list[str]
    body: str
    draft: bool = False
    pinned: bool = False
    series: str | None = None
    paper: bool = False
    updated: str | None = None
    wiki: list[str] = field(default_factory=list)  # [[target]] as written
    links: list[str] = field(default_factory=list)  # Markdown links to files

    def text(self) -> str:
        meta: dict[str, Any] = {
            "title": self.title,
            "date": self.date,
            "category": self.category,
            "tags": self.tags,
        }
        if self.draft:
            meta["draft"] = True
        if self.pinned:
            meta["pinned"] = True
        if self.series:
            meta["series"] = self.series
        if self.paper:
            meta["paper"] = {"arxiv": "1706.03762", "title": "Attention Is All You Need"}
        if self.updated:
            meta["updated"] = self.updated
        body = self.body
        if self.wiki:
            body += "\n\n见 " + "、".join(f"[[{w}]]" for w in self.wiki) + "。"
        if self.links:
            body += "\n\n另见 " + "、".join(f"[{n}]({n})" for n in self.links) + "。"
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        return f"---\n{front}---\n\n{body}\n"


@dataclass
class Site:
    """The sources of the scenario site, written to a folder on every step."""

    notes: dict[str, Note]
    intro: str = "介绍。"
    override: str = OVERRIDES[0]
    partial: str | None = None  # overrides/partials/copyright.html, when there is one
    static: str | None = "body { color: #333; }\n"
    options: dict[str, Any] = field(default_factory=dict)

    def files(self) -> dict[str, str]:
        """Every source file: path under the site's root -> text."""
        found = {"docs/index.md": HOME.format(intro=self.intro)}
        for name, note in self.notes.items():
            found[f"docs/{name}.md"] = note.text()
        if self.static is not None:
            found["docs/assets/extra.css"] = self.static
        block = "{% block content %}{{ super() }}<p>" + self.override + "</p>{% endblock %}"
        found["overrides/main.html"] = '{% extends "base.html" %}\n' + block + "\n"
        if self.partial is not None:
            copyright = f'<div class="md-copyright">{self.partial}</div>\n'
            found["overrides/partials/copyright.html"] = copyright
        feed = {"pagination_per_page": 2, "related_count": 2}
        feed.update({k: v for k, v in self.options.items() if k in ("related_count",)})
        config = {
            "site_name": self.options.get("site_name", "测试站"),
            "site_url": "https://example.org/",
            "use_directory_urls": self.options.get("use_directory_urls", True),
            "docs_dir": "docs",
            "theme": {"name": "material", "language": "zh", "custom_dir": "overrides"},
            "markdown_extensions": ["attr_list", "md_in_html", "mdx_math", "toc"],
            "plugins": [
                "zhiku/search",
                {"zhiku/feed": feed},
                {"zhiku/cache": {"workers": 1}},
            ],
            "not_in_nav": "/*.md\n",
        }
        found["mkdocs.yml"] = yaml.safe_dump(config, allow_unicode=True)
        return found

    def write(self, root: Path) -> Path:
        """Bring the files under ``root`` to this state as a writer would: a file is
        written only when its text changed, and removed when it is no longer here."""
        wanted = self.files()
        for folder in ("docs", "overrides"):
            for path in sorted((root / folder).rglob("*"), reverse=True):
                rel = path.relative_to(root).as_posix()
                if path.is_file() and rel not in wanted:
                    path.unlink()
                elif path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
        for rel, text in wanted.items():
            path = root / rel
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        return root / "mkdocs.yml"


def first_site() -> Site:
    notes = {
        name: Note(
            title=f"{TITLES[n]}笔记",
            date=DATES[1 + n % 3],
            category=CATEGORIES[n % 3],
            tags=[TAGS[n % 5]],
            body=SENTENCES[n],
        )
        for n, name in enumerate(NAMES[:4])
    }
    return Site(notes)


def build_once(config_file: Path, site: Path) -> BaseException | None:
    """One ``mkdocs build``, as the command runs it in a new process (new plugins); the
    error it ended with, if any."""
    with plugins_of({}):
        config = load_config(str(config_file), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build_command.build(config)
    except (SystemExit, Exception) as err:  # compared with the cold build's
        return err
    finally:
        config.plugins.on_shutdown()
    return None


def copy_sources(root: Path, to: Path) -> Path:
    """The sources under ``root`` (no cache, no site) copied to a new folder."""
    shutil.copytree(root, to, ignore=shutil.ignore_patterns(".cache", "site", "served"))
    return to / "mkdocs.yml"


def index_of(items: list[Any], pick: int) -> Any:
    return items[pick % len(items)]


picks = st.integers(min_value=0, max_value=60)


class BuiltSite(RuleBasedStateMachine):
    """``mkdocs build`` after every step equals a cold ``mkdocs build``."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="zhiku-fuzz-"))
        self.root = self.folder / "root"
        self.root.mkdir()
        self.site = first_site()
        self.today = TODAYS[1]
        self.steps = 0
        self.failed = 0
        self._environ = os.environ.get("ZHIKU_TODAY")
        self.start()

    # -- how a build runs (ServedSite changes it) ------------------------------------

    def start(self) -> None:
        pass

    def warm(self, config_file: Path) -> tuple[BaseException | None, Path]:
        return build_once(config_file, self.root / "site"), self.root / "site"

    def cold(self, config_file: Path, folder: Path) -> tuple[BaseException | None, Path]:
        return build_once(config_file, folder / "site"), folder / "site"

    def teardown(self) -> None:
        if self._environ is None:
            os.environ.pop("ZHIKU_TODAY", None)
        else:
            os.environ["ZHIKU_TODAY"] = self._environ
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- the check after every step ----------------------------------------------------

    @invariant()
    def warm_equals_cold(self) -> None:
        os.environ["ZHIKU_TODAY"] = self.today
        config_file = self.site.write(self.root)
        warm_error, warm_site = self.warm(config_file)
        cold_folder = self.folder / f"cold-{self.steps}"
        cold_error, cold_site = self.cold(copy_sources(self.root, cold_folder), cold_folder)
        self.steps += 1
        try:
            assert (warm_error is None) == (cold_error is None), (
                f"warm build: {warm_error!r}; cold build: {cold_error!r}"
            )
            if cold_error is None:
                assert_same_site(tree(warm_site), tree(cold_site))
            else:
                self.failed += 1
        finally:
            shutil.rmtree(cold_folder, ignore_errors=True)

    # -- edits -------------------------------------------------------------------------

    def _note(self, pick: int) -> tuple[str, Note]:
        name = index_of(sorted(self.site.notes), pick)
        return name, self.site.notes[name]

    def _set(self, pick: int, **changes: Any) -> None:
        name, note = self._note(pick)
        self.site.notes[name] = replace(note, **changes)

    def has_notes(self) -> bool:
        return bool(self.site.notes)

    @precondition(has_notes)
    @rule(pick=picks, sentence=st.sampled_from(SENTENCES))
    def edit_body(self, pick: int, sentence: str) -> None:
        self._set(pick, body=sentence)

    @precondition(has_notes)
    @rule(pick=picks, title=st.sampled_from(TITLES), suffix=st.sampled_from(("", "：新", "二")))
    def edit_title(self, pick: int, title: str, suffix: str) -> None:
        self._set(pick, title=title + suffix)

    @precondition(has_notes)
    @rule(pick=picks, date=st.sampled_from(DATES))
    def edit_date(self, pick: int, date: str) -> None:
        self._set(pick, date=date)

    @precondition(has_notes)
    @rule(pick=picks, category=st.sampled_from(CATEGORIES))
    def edit_category(self, pick: int, category: str) -> None:
        self._set(pick, category=category)

    @precondition(has_notes)
    @rule(pick=picks, tags=st.lists(st.sampled_from(TAGS), max_size=3, unique=True))
    def edit_tags(self, pick: int, tags: list[str]) -> None:
        self._set(pick, tags=tags)

    @precondition(lambda self: len(self.site.notes) < len(NAMES))
    @rule(pick=picks, date=st.sampled_from(DATES), title=st.sampled_from(TITLES))
    def add_article(self, pick: int, date: str, title: str) -> None:
        name = index_of([n for n in NAMES if n not in self.site.notes], pick)
        self.site.notes[name] = Note(title, date, CATEGORIES[0], [TAGS[pick % 5]], "新文章。")

    @precondition(lambda self: len(self.site.notes) > 1)
    @rule(pick=picks)
    def delete_article(self, pick: int) -> None:
        name, _ = self._note(pick)
        del self.site.notes[name]

    @precondition(lambda self: 0 < len(self.site.notes) < len(NAMES))
    @rule(pick=picks, to=picks)
    def rename_article(self, pick: int, to: int) -> None:
        name, note = self._note(pick)
        new = index_of([n for n in NAMES if n not in self.site.notes], to)
        del self.site.notes[name]
        self.site.notes[new] = note

    @precondition(has_notes)
    @rule(pick=picks, other=picks, by_title=st.booleans())
    def edit_wiki_links(self, pick: int, other: int, by_title: bool) -> None:
        """A wiki link to another article, by title or by file name (it may break later)."""
        name, note = self._note(pick)
        others = [n for n in sorted(self.site.notes) if n != name]
        if not others:
            self._set(pick, wiki=[])
            return
        target = index_of(others, other)
        link = self.site.notes[target].title if by_title else target
        self._set(pick, wiki=[] if link in note.wiki else [*note.wiki, link][-2:])

    @precondition(has_notes)
    @rule(pick=picks, other=picks)
    def edit_markdown_links(self, pick: int, other: int) -> None:
        note = self._note(pick)[1]
        link = f"{index_of(sorted(self.site.notes), other)}.md"
        self._set(pick, links=[] if link in note.links else [link])

    @precondition(has_notes)
    @rule(pick=picks)
    def toggle_draft(self, pick: int) -> None:
        self._set(pick, draft=not self._note(pick)[1].draft)

    @precondition(has_notes)
    @rule(pick=picks)
    def toggle_pinned(self, pick: int) -> None:
        self._set(pick, pinned=not self._note(pick)[1].pinned)

    @precondition(has_notes)
    @rule(pick=picks, series=st.sampled_from((None, "扩散模型入门", "大模型基础")))
    def edit_series(self, pick: int, series: str | None) -> None:
        self._set(pick, series=series)

    @precondition(has_notes)
    @rule(pick=picks)
    def toggle_paper(self, pick: int) -> None:
        self._set(pick, paper=not self._note(pick)[1].paper)

    @precondition(has_notes)
    @rule(pick=picks, updated=st.sampled_from((None, "2026-02-01", "2026-05-05")))
    def edit_updated(self, pick: int, updated: str | None) -> None:
        self._set(pick, updated=updated)

    @rule(intro=st.sampled_from(("介绍。", "新的介绍。", "站点介绍：见 [注意力](attn.md)。")))
    def edit_home(self, intro: str) -> None:
        self.site.intro = intro

    @rule(
        option=st.sampled_from(("site_name", "use_directory_urls", "related_count")),
        value=st.integers(min_value=0, max_value=2),
    )
    def edit_mkdocs_yml(self, option: str, value: int) -> None:
        values = {
            "site_name": ("测试站", "新站名", "知库"),
            "use_directory_urls": (True, False, True),
            "related_count": (2, 0, 1),
        }
        self.site.options[option] = values[option][value]

    @rule(text=st.sampled_from(OVERRIDES))
    def edit_theme_override(self, text: str) -> None:
        self.site.override = text

    @rule(text=st.sampled_from((None, "© 测试站", "© 知库作者")))
    def edit_theme_partial(self, text: str | None) -> None:
        self.site.partial = text

    @rule(css=st.sampled_from((None, "body { color: #333; }\n", "p { margin: 0; }\n")))
    def edit_static_file(self, css: str | None) -> None:
        self.site.static = css

    @rule(today=st.sampled_from(TODAYS))
    def move_today(self, today: str) -> None:
        self.today = today


class Session:
    """One ``mkdocs serve`` session, driven as the server drives it."""

    def __init__(self, config_file: Path, site: Path) -> None:
        self.config_file, self.site = config_file, site
        self.plugins: dict[str, Any] = {}  # the session's process keeps them
        self.first = self._config()
        self.first.plugins.on_startup(command="serve", dirty=False)

    def _config(self) -> Any:
        with plugins_of(self.plugins):
            config = load_config(str(self.config_file), site_dir=str(self.site), strict=True)
        config.site_url = SERVED
        return config

    def build(self) -> BaseException | None:
        try:
            serve.build(self._config(), serve_url=SERVED, dirty=False)
        except (SystemExit, Exception) as err:  # compared with the cold one
            return err
        # Under serve the search index is written after the reload, in the background.
        worker = self.first.plugins["zhiku/search"]._worker
        while worker is not None and worker.running:
            time.sleep(0.05)
        return None

    def close(self) -> None:
        self.first.plugins.on_shutdown()


class ServedSite(BuiltSite):
    """Every save under one ``mkdocs serve`` session equals a first build of a new one."""

    def start(self) -> None:
        self.session: Session | None = None

    def warm(self, config_file: Path) -> tuple[BaseException | None, Path]:
        if self.session is None:
            self.session = Session(config_file, self.root / "served")
        return self.session.build(), self.root / "served"

    def cold(self, config_file: Path, folder: Path) -> tuple[BaseException | None, Path]:
        # One process serves one site; a second session (the cold one) ends by unwrapping
        # serve's build: wrap it again for the warm session, as it was.
        session = Session(config_file, folder / "served")
        try:
            return session.build(), folder / "served"
        finally:
            session.close()
            engine.install()

    def teardown(self) -> None:
        if self.session is not None:
            self.session.close()
        super().teardown()


# Short enough for CI (a minute or so on two cores); each run draws new sequences (no
# example database), and scripts/fuzz_incremental.py runs long ones.
SHORT: dict[str, Any] = {
    "deadline": None,
    "database": None,
    "suppress_health_check": list(HealthCheck),
}

TestBuiltSite = BuiltSite.TestCase
TestBuiltSite.settings = settings(max_examples=1, stateful_step_count=8, **SHORT)
TestServedSite = ServedSite.TestCase
TestServedSite.settings = settings(max_examples=1, stateful_step_count=6, **SHORT)


# -- builds cut short, caches damaged ------------------------------------------------------


def command(config_file: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]


def cold_copy(root: Path, folder: Path) -> dict[str, bytes]:
    config_file = copy_sources(root, folder)
    assert build_once(config_file, folder / "site") is None
    return tree(folder / "site")


def edited(site: Site) -> Site:
    """The scenario site after a few edits of different kinds."""
    notes = dict(site.notes)
    notes["attn"] = replace(notes["attn"], title="注意力机制：新", body=SENTENCES[4])
    notes["ddpm"] = replace(notes["ddpm"], draft=True)
    notes["clip"] = Note("对比学习", "2026-01-11", "工程", ["显存"], SENTENCES[5])
    del notes["vae"]
    return replace(site, notes=notes, override=OVERRIDES[1])


@settings(max_examples=1, **SHORT)
@given(when=st.floats(min_value=0.05, max_value=0.95))
def test_a_build_killed_at_any_point_is_followed_by_a_right_one(when: float) -> None:
    """``mkdocs build`` killed with SIGKILL part way (the fraction ``when`` of a whole
    build's time): the next build still makes the site a cold build makes."""
    with tempfile.TemporaryDirectory(prefix="zhiku-kill-") as name:
        folder = Path(name)
        root = folder / "root"
        os.environ["ZHIKU_TODAY"] = TODAYS[1]
        try:
            config_file = first_site().write(root)
            started = time.monotonic()
            subprocess.run(command(config_file), cwd=root, capture_output=True, check=True)
            whole = time.monotonic() - started
            edited(first_site()).write(root)
            build = subprocess.Popen(command(config_file), cwd=root, stderr=subprocess.DEVNULL)
            time.sleep(whole * when)
            build.send_signal(signal.SIGKILL)
            build.wait()
            assert build_once(config_file, root / "site") is None
            assert_same_site(tree(root / "site"), cold_copy(root, folder / "cold"))
        finally:
            os.environ.pop("ZHIKU_TODAY", None)


@settings(max_examples=1, **SHORT)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_cache_files_with_bytes_overwritten_cost_time_never_correctness(seed: int) -> None:
    """Every file under .cache (catalogue, listings, search terms, rendered pages, site
    record, compiled templates) with a few bytes overwritten somewhere inside, not only
    cut short: the next build after an edit equals a cold build."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="zhiku-damage-") as name:
        folder = Path(name)
        root = folder / "root"
        os.environ["ZHIKU_TODAY"] = TODAYS[1]
        try:
            config_file = first_site().write(root)
            assert build_once(config_file, root / "site") is None
            kept = sorted(p for p in (root / ".cache").rglob("*") if p.is_file())
            # The build's store (build.sqlite) and the compiled templates.
            assert "build.sqlite" in {p.name for p in kept} and len(kept) >= 2, kept
            for path in kept:
                data = bytearray(path.read_bytes())
                for _ in range(3):
                    at = rng.randrange(len(data)) if data else 0
                    data[at : at + 8] = rng.randbytes(8)
                path.write_bytes(bytes(data))
            edited(first_site()).write(root)
            assert build_once(config_file, root / "site") is None
            assert_same_site(tree(root / "site"), cold_copy(root, folder / "cold"))
        finally:
            os.environ.pop("ZHIKU_TODAY", None)

"""The catalogue: each page read and parsed once, remembered by content hash in memory and
on disk, one error shape for every bad file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import zhiku.articles.catalogue as catalogue_module
from zhiku.articles import Article, ArticleErrors
from zhiku.articles.catalogue import NAMESPACE, Catalogue, Source
from zhiku.build import store as stores

ARTICLE = (
    "---\ntitle: 梯度检查点\ndate: 2025-01-02\ntags: [显存]\n---\n\n梯度检查点用计算换显存。\n"
)


def write(folder: Path, name: str, text: str | bytes) -> Source:
    path = folder / "docs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return Source(name, str(path), f"docs/{name}")


def test_read_gives_articles_under_their_source_uri(tmp_path: Path) -> None:
    sources = [write(tmp_path, "a.md", ARTICLE), write(tmp_path, "about.md", "# 关于\n")]
    shelf = Catalogue().read(sources)
    a, about = shelf.documents
    assert a.article is not None and a.article.path == "a.md" and a.shown == "docs/a.md"
    assert a.article.title == "梯度检查点" and a.article.body == "梯度检查点用计算换显存。\n"
    assert about.article is None and about.text == "# 关于\n"  # an ordinary page
    assert a.text is None  # an article's text is its body
    assert [doc.src_uri for doc in shelf.articles()] == ["a.md"]
    assert shelf.get("about.md") is about and shelf.get("missing.md") is None


def test_a_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    shelf = Catalogue().read([write(tmp_path, "a.md", "\ufeff" + ARTICLE)])
    assert shelf.documents[0].article is not None


@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_line_ends_read_as_mkdocs_reads_them(tmp_path: Path, end: str) -> None:
    # MkDocs opens pages in text mode: every kind of line end becomes "\n".
    body = "第一段。\n\n第二段。\n"
    lf, other = (ARTICLE + body, (ARTICLE + body).replace("\n", end))
    sources = [write(tmp_path, "lf.md", lf), write(tmp_path, "x.md", other)]
    one, two = Catalogue().read(sources).documents
    assert one.article is not None and two.article is not None
    assert (
        two.article.body == one.article.body == "梯度检查点用计算换显存。\n第一段。\n\n第二段。\n"
    )
    (page,) = Catalogue().read([write(tmp_path, "p.md", f"# 页{end}{end}正文{end}")]).documents
    assert page.text == "# 页\n\n正文\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            ARTICLE.replace("2025-01-02", "2025-13-01"),
            'docs/bad.md:3: date "2025-13-01" is not a YYYY-MM-DD date; write it like 2026-01-15',
        ),
        (ARTICLE.encode("gbk"), "docs/bad.md:1: the file is not UTF-8 text; save it as UTF-8"),
    ],
)
def test_a_bad_file_is_one_error_naming_file_line_and_fix(
    tmp_path: Path, text: str | bytes, message: str
) -> None:
    sources = [write(tmp_path, "good.md", ARTICLE), write(tmp_path, "bad.md", text)]
    with pytest.raises(ArticleErrors) as caught:
        Catalogue().read(sources)
    assert [str(e) for e in caught.value.errors] == [message]


def test_every_bad_file_is_reported_by_one_read_and_the_good_ones_are_kept(
    tmp_path: Path, parses: list[str]
) -> None:
    sources = [
        write(tmp_path, "a.md", ARTICLE.replace("2025-01-02", "2025-02-30")),
        write(tmp_path, "b.md", ARTICLE),
        write(tmp_path, "c.md", ARTICLE.replace("tags: [显存]", "tags: [显存\n")),
        write(tmp_path, "d.md", ARTICLE.replace("date:", "title: 又一个\ndate:")),
    ]
    catalogue = Catalogue()
    with pytest.raises(ArticleErrors) as caught:
        catalogue.read(sources)
    assert [(e.path, e.line) for e in caught.value.errors] == [
        ("docs/a.md", 3),
        ("docs/c.md", 4),
        ("docs/d.md", 3),
    ]
    # Fixing one file re-reads only that one: the good file was remembered by the failed read.
    write(tmp_path, "a.md", ARTICLE)
    parses.clear()
    with pytest.raises(ArticleErrors) as again:
        catalogue.read(sources)
    assert [e.path for e in again.value.errors] == ["docs/c.md", "docs/d.md"]
    assert "docs/b.md" not in parses


def test_a_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    source = Source("gone.md", str(tmp_path / "gone.md"), "docs/gone.md")
    with pytest.raises(ArticleErrors, match=r"^docs/gone\.md:1: cannot be read \("):
        Catalogue().read([source])


def test_unchanged_pages_are_parsed_once_per_process(tmp_path: Path, parses: list[str]) -> None:
    sources = [write(tmp_path, "a.md", ARTICLE), write(tmp_path, "b.md", ARTICLE)]
    catalogue = Catalogue()
    first = catalogue.read(sources)
    assert parses == ["docs/a.md", "docs/b.md"]
    second = catalogue.read(sources)
    assert parses == ["docs/a.md", "docs/b.md"]
    assert second.documents == first.documents


def test_a_change_is_seen_by_content_even_when_mtime_and_size_stay(
    tmp_path: Path, parses: list[str]
) -> None:
    source = write(tmp_path, "a.md", ARTICLE)
    catalogue = Catalogue()
    catalogue.read([source])
    stat = Path(source.abs_path).stat()
    # Same length, same mtime: only the content says the title changed.
    Path(source.abs_path).write_text(ARTICLE.replace("梯度", "显存"), encoding="utf-8")
    os.utime(source.abs_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert Path(source.abs_path).stat().st_size == stat.st_size
    (doc,) = catalogue.read([source]).documents
    assert doc.article is not None and doc.article.title == "显存检查点"
    assert parses == ["docs/a.md", "docs/a.md"]


def test_a_cold_process_reuses_the_disk_cache(tmp_path: Path, parses: list[str]) -> None:
    sources = [write(tmp_path, "a.md", ARTICLE), write(tmp_path, "b.md", "# 页\n")]
    cache = tmp_path / ".cache"
    first = Catalogue(cache)
    before = first.read(sources)
    first.save()
    assert stores.peek(cache / stores.FILE_NAME, NAMESPACE, catalogue_module.part_key("a.md"))
    parses.clear()
    after = Catalogue(cache).read(sources)  # as a new `mkdocs build` would
    assert parses == []
    assert after.documents == before.documents


def test_derived_values_are_computed_once_per_content_and_params(tmp_path: Path) -> None:
    a, b = write(tmp_path, "a.md", ARTICLE), write(tmp_path, "b.md", ARTICLE)
    cache = tmp_path / ".cache"
    made: list[tuple[str, int]] = []

    def maker(n: int) -> Callable[[Article], str]:
        def make(article: Article) -> str:
            made.append((article.path, n))
            return f"{article.title[:n]}"

        return make

    catalogue = Catalogue(cache)
    catalogue.read([a, b])
    assert catalogue.derive("short", 2, maker(2)) == {"a.md": "梯度", "b.md": "梯度"}
    assert catalogue.derive("short", 2, maker(2)) == {"a.md": "梯度", "b.md": "梯度"}
    assert made == [("a.md", 2), ("b.md", 2)]
    # Other params: computed anew.
    assert catalogue.derive("short", 3, maker(3))["a.md"] == "梯度检"
    assert made[2:] == [("a.md", 3), ("b.md", 3)]
    catalogue.save()

    # A new process, one article edited: only that one is derived again.
    Path(b.abs_path).write_text(ARTICLE.replace("梯度", "显存"), encoding="utf-8")
    made.clear()
    cold = Catalogue(cache)
    cold.read([a, b])
    assert cold.derive("short", 2, maker(2)) == {"a.md": "梯度", "b.md": "显存"}
    assert made == [("b.md", 2)]


def test_derived_values_cover_articles_only(tmp_path: Path) -> None:
    catalogue = Catalogue()
    catalogue.read([write(tmp_path, "a.md", ARTICLE), write(tmp_path, "p.md", "# 页\n")])
    assert catalogue.derive("title", (), lambda article: article.title) == {"a.md": "梯度检查点"}


def test_a_cache_from_other_code_is_ignored(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(tmp_path, "a.md", ARTICLE)
    cache = tmp_path / ".cache"
    first = Catalogue(cache)
    first.read([source])
    first.save()
    parses.clear()
    monkeypatch.setattr(catalogue_module, "code_version", lambda: "another version")
    Catalogue(cache).read([source])
    assert parses == ["docs/a.md"]


def test_a_damaged_cache_costs_time_not_the_build(tmp_path: Path, parses: list[str]) -> None:
    source = write(tmp_path, "a.md", ARTICLE)
    cache = tmp_path / ".cache"
    kept = stores.shared(cache / stores.FILE_NAME)
    kept.put(NAMESPACE, catalogue_module.part_key("a.md"), b"\x80\x05 cut short")
    kept.commit()
    (doc,) = Catalogue(cache).read([source]).documents
    assert doc.article is not None and parses == ["docs/a.md"]


def test_removed_pages_leave_the_cache(tmp_path: Path, parses: list[str]) -> None:
    a, b = write(tmp_path, "a.md", ARTICLE), write(tmp_path, "b.md", ARTICLE)
    cache = tmp_path / ".cache"
    catalogue = Catalogue(cache)
    catalogue.read([a, b])
    catalogue.save()
    catalogue.read([a])
    catalogue.save()
    parses.clear()
    Catalogue(cache).read([a, b])
    assert parses == ["docs/b.md"]  # b was forgotten when it left the site


def test_a_save_after_one_edit_writes_only_the_part_that_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = [write(tmp_path, f"n{n}.md", ARTICLE.replace("梯度", f"第{n}")) for n in range(40)]
    cache = tmp_path / ".cache"
    first = Catalogue(cache)
    first.read(sources)
    first.derive("title", (), lambda article: article.title)
    first.save()
    before = catalogue_module.kept_parts(cache / stores.FILE_NAME)
    assert len(before) > 1
    # A new process (a warm `mkdocs build`), one article edited.
    Path(sources[7].abs_path).write_text(ARTICLE.replace("梯度", "改过"), encoding="utf-8")
    written: list[str] = []
    real_put = stores.Store.put

    def put(self: stores.Store, namespace: str, key: str, value: bytes, **kwargs: str) -> None:
        written.append(key)
        real_put(self, namespace, key, value, **kwargs)

    monkeypatch.setattr(stores.Store, "put", put)
    again = Catalogue(cache)
    again.read(sources)
    assert again.derive("title", (), lambda article: article.title)["n7.md"] == "改过检查点"
    again.save()
    assert written == [catalogue_module.part_key("n7.md")]
    after = catalogue_module.kept_parts(cache / stores.FILE_NAME)
    assert {k for k in after if after[k] != before.get(k)} == set(written)
    # And what was kept is the whole catalogue: a third process parses nothing.
    third = Catalogue(cache)
    assert [d.article.title for d in third.read(sources).documents if d.article][7] == "改过检查点"


def test_the_next_process_reads_only_the_files_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue_module, "RACY_NS", 0)  # these files count as settled
    sources = [write(tmp_path, f"n{n}.md", ARTICLE.replace("梯度", f"第{n}")) for n in range(5)]
    cache = tmp_path / ".cache"
    first = Catalogue(cache)
    first.read(sources)
    first.save()
    opened: list[str] = []

    def counting_open(path: str, mode: str = "r") -> Any:
        opened.append(Path(path).name)
        return open(path, mode)  # noqa: PTH123

    monkeypatch.setattr(catalogue_module, "open", counting_open, raising=False)
    Path(sources[3].abs_path).write_text(ARTICLE.replace("梯度", "改过"), encoding="utf-8")
    again = Catalogue(cache)
    titles = [d.article.title for d in again.read(sources).documents if d.article]
    assert opened == ["n3.md"]  # a warm build of a large site reads one file, not all
    assert titles[3] == "改过检查点" and titles[0] == "第0检查点"

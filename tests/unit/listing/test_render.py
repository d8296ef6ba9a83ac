"""Markup follows the HTML contract with THEME and never lets scraped text become HTML."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import re
import xml.etree.ElementTree as ET

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from listing_factories import entry

from zhiku.listing import Entry, Renderer, Urls, make_entry, plan_site
from zhiku.listing.pages import HOME

HOSTILE = "<img src=x onerror=alert(1)>"


def _site(per_page: int = 1):
    entries = [
        entry(
            "evil.md",
            "2026-01-15",
            title=f"标题 {HOSTILE}",
            category="Q&A <研究>",
            tags=("<script>x</script>", "LoRA"),
            body=f"{HOSTILE} 比较 a<b 与 Q&A。",
            date_estimated=True,
        ),
        entry("ok.md", "2026-01-10", title="正常文章", tags=("LoRA",), body="字" * 1200),
    ]
    return plan_site(entries, per_page)


def _page(site, src):  # type: ignore[no-untyped-def]
    return next(p for p in site.pages if p.src_uri == src)


def _parse(html: str) -> ET.Element:
    # Generated markup is well-formed, which also proves nothing unescaped slipped in.
    return ET.fromstring(f"<root>{html}</root>")


def test_home_card_follows_the_contract() -> None:
    site = _site()
    renderer = Renderer(Urls(True))
    root = _parse(renderer.listing_html(site, _page(site, "index.md")))
    (card,) = root.findall("./div[@class='zk-feed']/article[@class='zk-card']")
    meta = card.find("div[@class='zk-card__meta']")
    assert meta is not None
    assert meta.find("a[@class='zk-card__category']").attrib["href"] == "category/q-a-yanjiu/"
    assert meta.find(".//time[@class='zk-card__date']").attrib["datetime"] == "2026-01-15"
    assert meta.find(".//time[@class='zk-card__date']").text == "2026年1月15日"
    assert meta.find(".//span[@class='zk-card__estimated']").text == "约"
    assert meta.find(".//span[@class='zk-card__reading']").text == "约 1 分钟"
    title = card.find("h2[@class='zk-card__title']/a")
    assert title.text == f"标题 {HOSTILE}" and title.attrib["href"] == "evil/"
    assert card.find("p[@class='zk-card__excerpt']").text == "比较 a<b 与 Q&A。"
    tags = card.findall("ul[@class='zk-card__tags']/li/a[@class='zk-tag']")
    assert [t.text for t in tags] == ["<script>x</script>", "LoRA"]
    nav = root.find("nav[@class='zk-pagination']")
    assert nav.find("a[@rel='next']").attrib["href"] == "page/2/"
    assert nav.find("a[@rel='prev']") is None
    assert nav.find("span[@class='zk-pagination__status']").text == "第 1 / 2 页"


def test_links_are_relative_to_the_page_depth() -> None:
    site = _site()
    for directory_urls, expected in ((True, "../../evil/"), (False, "../../evil.html")):
        renderer = Renderer(Urls(directory_urls))
        page = _page(site, "category/q-a-yanjiu/index.md")
        root = _parse(renderer.listing_html(site, page))
        assert root.find(".//h2[@class='zk-card__title']/a").attrib["href"] == expected


def test_second_page_has_prev_and_no_estimated_badge() -> None:
    site = _site()
    root = _parse(Renderer(Urls(True)).listing_html(site, _page(site, "page/2.md")))
    assert root.find("h1").text == "最新更新 · 第 2 页"
    assert root.find("nav/a[@rel='prev']").attrib["href"] == "../../"
    assert root.find(".//span[@class='zk-card__estimated']") is None
    assert root.find(".//span[@class='zk-card__reading']").text == "约 3 分钟"


def test_listing_source_front_matter_is_escaped_yaml() -> None:
    site = _site(per_page=10)
    renderer = Renderer(Urls(True))
    page = _page(site, "category/q-a-yanjiu/index.md")
    source = renderer.listing_source(site, page, meta={"search": {"exclude": True}})
    head, body = source.removeprefix("---\n").split("---\n", 1)
    meta = yaml.safe_load(head)
    assert meta["title"] == "分类：Q&amp;A &lt;研究&gt;"
    assert meta["search"] == {"exclude": True}  # what the glue asks for, as it asked
    assert meta["zhiku"] == {"kind": "category", "page": 1, "pages": 1}
    other_source = renderer.listing_source(site, _page(site, "category/large-model/index.md"))
    assert body.strip().startswith("<!-- zhiku/feed listing ") and other_source != source
    html = renderer.listing_html(site, page)
    converted = f"<p>before</p>\n{body.strip()}\n"
    assert Renderer.fill(converted, source, html) == f"<p>before</p>\n{html}\n"


def test_a_listing_source_changes_exactly_when_its_html_does() -> None:
    """The source names what the listing shows by digest, without rendering it: a build
    that keeps its site folder compares sources to know which listings to render."""
    site = _site(per_page=10)
    page = _page(site, "category/q-a-yanjiu/index.md")
    source = Renderer(Urls(True)).listing_source(site, page)
    html = Renderer(Urls(True)).listing_html(site, page)
    assert Renderer(Urls(True)).listing_source(site, page) == source  # any renderer, any run

    def edited(**changes: object):  # type: ignore[no-untyped-def]
        entries = [
            dataclasses.replace(e, article=dataclasses.replace(e.article, **changes))
            if e.src_uri == "evil.md"
            else e
            for e in site.entries
        ]
        new = plan_site(entries, 10)
        return new, _page(new, "category/q-a-yanjiu/index.md")

    for changes in ({"title": "新标题"}, {"tags": ("LoRA",)}, {"body": "新的正文。"}):
        new, new_page = edited(**changes)
        renderer = Renderer(Urls(True))
        same_html = renderer.listing_html(new, new_page) == html
        assert (renderer.listing_source(new, new_page) == source) == same_html, changes
    other = Renderer(Urls(False))
    assert other.listing_source(site, page) != source  # the URLs show in the links


def test_home_keeps_its_intro_first() -> None:
    site = _site()
    home = next(p for p in site.pages if p.kind == HOME)
    intro = "---\ntitle: 知库\n---\n\n# 知库\n"
    renderer = Renderer(Urls(True))
    source = renderer.listing_source(site, home, intro=intro)
    assert source.startswith(intro + "\n<!-- zhiku/feed listing ")
    assert renderer.listing_html(site, home).startswith('<div class="zk-feed">')


def test_indexes_and_archive() -> None:
    site = _site()
    renderer = Renderer(Urls(True))
    tags = _parse(renderer.listing_html(site, _page(site, "tags/index.md")))
    items = tags.findall("div[@class='zk-index']/ul/li")
    assert [(li.find("a").text, li.find("span[@class='zk-count']").text) for li in items] == [
        ("LoRA", "2"),
        ("<script>x</script>", "1"),
    ]
    assert items[0].find("a").attrib["href"] == "../tags/lora/"
    archive = _parse(renderer.listing_html(site, _page(site, "archive/index.md")))
    assert [h.text for h in archive.iter("h2")] == ["2026年"]
    assert [h.text for h in archive.iter("h3")] == ["2026年1月"]
    assert [a.attrib["href"] for a in archive.iter("a")] == ["../evil/", "../ok/"]


def test_article_header_and_footer() -> None:
    site = _site()
    renderer = Renderer(Urls(True))
    evil, ok = site.entries
    header = _parse(renderer.article_header(site, evil)).find("header[@class='zk-article-header']")
    assert [a.text for a in header.findall("ul[@class='zk-article-header__tags']/li/a")] == [
        "<script>x</script>",
        "LoRA",
    ]
    assert header.find(".//a[@class='zk-card__category']").attrib["href"] == (
        "../category/q-a-yanjiu/"
    )
    footer = _parse(renderer.article_footer(site, ok, [evil]))
    nav = footer.find("nav[@class='zk-prevnext']")
    assert nav.find("a[@rel='prev']") is None
    assert nav.find("a[@rel='next']").attrib["href"] == "../evil/"
    assert "".join(nav.find("a[@rel='next']").itertext()) == f"下一篇 标题 {HOSTILE}"
    # Already linked as the next article: not listed again as related.
    assert footer.find("section[@class='zk-related']") is None
    assert _parse(renderer.article_footer(site, evil, [])).find("section") is None


def test_a_footer_shows_each_article_once() -> None:
    """A short category of three articles: the neighbours in time are also the neighbours
    in the category, related, and one cites this one; the footer names each once: as
    上一篇/下一篇 (the citing one marked 引用了本文, not listed again under 被引用), and the
    related list skips them and what 被引用 lists, filled from the next best picks."""
    entries = [
        entry("new.md", "2026-01-20", category="A", body="[[mid]]"),
        entry("mid.md", "2026-01-15", category="A"),
        entry("old.md", "2026-01-10", category="A"),
        entry("far.md", "2026-01-01", category="B"),
        entry("farther.md", "2025-12-01", category="B"),
    ]
    site = plan_site(entries, 10)
    new, mid, old, far, farther = site.entries
    footer = Renderer(Urls(True)).article_footer(
        site, mid, [new, old, far, farther], [new, far], related_count=1
    )
    root = _parse(footer)
    hrefs = [a.attrib["href"] for a in root.iter("a")]
    assert hrefs == ["../old/", "../new/", "../far/", "../farther/"], footer
    newer = root.find("nav[@class='zk-prevnext']/a[@rel='next']")
    assert newer.find("small[@class='zk-prevnext__cites']").text == "引用了本文"
    assert root.find("nav[@class='zk-prevnext']/a[@rel='prev']/small") is None
    assert root.find("nav[@class='zk-prevnext zk-prevnext--category']") is None
    (cited,) = root.findall("section[@class='zk-related zk-backlinks']")
    assert [a.attrib["href"] for a in cited.iter("a")] == ["../far/"]
    (related,) = root.findall("section[@class='zk-related']")
    assert [a.attrib["href"] for a in related.iter("a")] == ["../farther/"]


def test_feed_links_for_the_head() -> None:
    links = Renderer(Urls(True)).feed_links(
        "a/b.md", 'x"<', [("feed.xml", "application/rss+xml", "RSS")]
    )
    assert links == (
        '<link rel="alternate" type="application/rss+xml" title="x&#34;&lt; RSS" '
        'href="../../feed.xml">'
    )
    assert not re.search(r"<script", links)


def test_a_kept_renderer_renders_only_what_changed_and_the_same_markup() -> None:
    """Pickled between builds, it keeps headers and footers (and renders them again only
    for articles whose shown values changed); what it renders equals a fresh renderer's."""
    site = _site()
    first = Renderer(Urls(True))
    evil, ok = site.entries
    header, footer = first.article_header(site, evil), first.article_footer(site, ok, [evil])
    first.listing_html(site, _page(site, "index.md"))
    kept = pickle.loads(pickle.dumps(first))
    renders = kept.renders
    assert kept.article_header(site, evil) == header
    assert kept.article_footer(site, ok, [evil]) == footer
    assert kept.renders == renders, "nothing changed: nothing rendered"
    assert kept.listing_html(site, _page(site, "index.md")) == first.listing_html(
        site, _page(site, "index.md")
    )

    retitled = plan_site(
        [
            dataclasses.replace(e, article=dataclasses.replace(e.article, title="新标题"))
            for e in site.entries
        ],
        1,
    )
    new_evil, new_ok = retitled.entries
    fresh = Renderer(Urls(True))
    assert kept.article_header(retitled, new_evil) == fresh.article_header(retitled, new_evil)
    assert "新标题" in kept.article_footer(retitled, new_ok, [new_evil])


NAMES = ("甲", "乙", "丙", "丁", "戊", "己")
EDITS = (
    "title", "date", "tags", "category", "pinned", "series", "add", "delete", "label",
    "updated", "equal copy", "nothing",
)  # fmt: skip


def _made(n: int, draw: st.DrawFn) -> Entry:
    return entry(
        f"n{n}.md",
        f"2026-0{draw(st.integers(1, 3))}-1{draw(st.integers(0, 9))}",
        title=draw(st.sampled_from(NAMES)) + str(n),
        category=draw(st.sampled_from(("大模型", "论文", "大模型/微调"))),
        tags=tuple(draw(st.sets(st.sampled_from(("LoRA", "RAG", "量化")), max_size=2))),
        series=draw(st.sampled_from((None, None, "入门"))),
        pinned=draw(st.booleans()),
    )


def _edited(old: Entry, edit: str, draw: st.DrawFn) -> Entry:
    a = old.article
    changes: dict[str, object] = {
        "title": {"title": draw(st.sampled_from(NAMES)) + a.title},
        "date": {"date": a.date.replace(day=draw(st.integers(1, 28)))},
        "tags": {"tags": (*a.tags, "新标签")[-2:]},
        "category": {"category": "随笔" if a.category != "随笔" else "论文"},
        "pinned": {"pinned": not a.pinned},
        "series": {"series": None if a.series else "入门"},
    }.get(edit, {})
    return make_entry(dataclasses.replace(a, **changes))  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_kept_renderer_answers_as_a_fresh_one_whatever_was_edited(data: st.DataObject) -> None:
    """A renderer kept through a serve session answers from what it last made when the
    values a listing, header or footer reads are the same: after any sequence of edits
    (unchanged articles the very same objects, as the catalogue hands them over), each
    answer equals a fresh renderer's."""
    draw = data.draw
    entries = {e.src_uri: e for e in (_made(n, draw) for n in range(draw(st.integers(1, 6))))}
    labels: dict[str, str] = {}
    updated: dict[str, dt.date] = {}
    kept = Renderer(Urls(True))
    for step in range(draw(st.integers(1, 5))):
        if step:
            edit = draw(st.sampled_from(EDITS))
            src = draw(st.sampled_from(sorted(entries)))
            if edit == "add":
                made = _made(100 + step, draw)
                entries[made.src_uri] = made
            elif edit == "delete" and len(entries) > 1:
                del entries[src]
            elif edit == "label":
                labels = {} if labels else {src: "草稿"}
            elif edit == "updated":
                updated = {} if updated else {src: dt.date(2026, 5, 1)}
            elif edit == "equal copy":
                entries[src] = dataclasses.replace(entries[src])
            elif edit != "nothing":
                entries[src] = _edited(entries[src], edit, draw)
        site = plan_site(list(entries.values()), 2, labels=labels, updated=updated)
        fresh = Renderer(Urls(True))
        for page in site.pages:
            assert kept.listing_source(site, page) == fresh.listing_source(site, page)
        for e in site.entries:
            others = [o for o in site.entries if o is not e]
            related = draw(st.permutations(others)).copy()[: draw(st.integers(0, 3))]
            cited = [o for o in others if draw(st.booleans())]
            assert kept.article_header(site, e) == fresh.article_header(site, e)
            assert kept.article_footer(site, e, related, cited, 2) == fresh.article_footer(
                site, e, related, cited, 2
            )
        if draw(st.booleans()):  # between two builds (mkdocs build keeps it in the store)
            kept = pickle.loads(pickle.dumps(kept))

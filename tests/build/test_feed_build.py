"""The feed plugin on small scenario sites: listings, feeds, links, under a sub-path or not."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from feed_sites import (
    article,
    broken_links,
    build_once,
    card_links,
    card_titles,
    html_pages,
    resolve,
    tags,
    write_site,
)
from mkdocs.exceptions import Abort, PluginError

LORA = "LoRA 冻结原始权重，只训练低秩适配器矩阵。显存占用因此大大降低。\n\n## 原理\n\n低秩分解。"
DIFFUSION = "扩散模型通过逐步去噪来生成图像。前向过程不断加入高斯噪声。"
ARTICLES = {
    "lora.md": article("LoRA 原理", "2026-01-15", "Large Model", ["LoRA", "微调"], LORA),
    "qlora.md": article("QLoRA：量化与 LoRA", "2026-01-12", "Large Model", ["LoRA"], LORA),
    "ddpm.md": article("DDPM 扩散模型", "2026-01-10", "Generative Model", ["扩散模型"], DIFFUSION),
    "sub/vae.md": article(
        "VAE 与重参数",
        "2025-12-30",
        "Generative Model",
        ["VAE"],
        "变分自编码器。",
        date_estimated=True,
    ),
    "evil.md": article(
        "Q&A <script>alert(1)</script>",
        "2025-11-02",
        "Q&A <研究>",
        ["<img src=x onerror=alert(1)>"],
        "问答。",
    ),
    "about.md": "# 关于\n\n没有日期的普通页面不是文章。\n",
}
NEWEST_FIRST = [
    "LoRA 原理",
    "QLoRA：量化与 LoRA",
    "DDPM 扩散模型",
    "VAE 与重参数",
    "Q&amp;A &lt;script&gt;alert(1)&lt;/script&gt;",
]
LAYOUTS = {
    "root": ("https://example.org/", True, "/"),
    "sub-path": ("https://user.github.io/repo/", True, "/repo/"),
    "sub-path, no directory URLs": ("https://user.github.io/repo/", False, "/repo/"),
}


@pytest.fixture(params=list(LAYOUTS), scope="module")
def layout(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    site_url, directory_urls, site_path = LAYOUTS[request.param]
    root = tmp_path_factory.mktemp("feed")
    config = write_site(root, ARTICLES, site_url, directory_urls, plugin={"pagination_per_page": 2})
    site = build_once(config, root / "site")
    return site, site_url, directory_urls, site_path


def page(site: Path, directory_urls: bool, uri: str) -> Path:
    """The built file of a page URI written the directory-URL way (``tags/vae/``)."""
    if not uri:
        return site / "index.html"
    if directory_urls or uri.endswith("index/"):
        return site / uri / "index.html"
    folder = site / uri.rstrip("/")
    return folder / "index.html" if folder.is_dir() else site / (uri.rstrip("/") + ".html")


def test_home_lists_articles_newest_first_across_pages(layout) -> None:  # type: ignore[no-untyped-def]
    site, _, directory_urls, _ = layout
    home = site / "index.html"
    text = home.read_text(encoding="utf-8")
    assert text.index("站点自己的介绍文字") < text.index('class="zk-feed"')
    pages = [home, page(site, directory_urls, "page/2/"), page(site, directory_urls, "page/3/")]
    assert [t for p in pages for t in card_titles(p)] == NEWEST_FIRST
    assert not (site / "page" / "4").exists() and not (site / "page" / "4.html").exists()
    assert "第 2 / 3 页" in pages[1].read_text(encoding="utf-8")


def test_category_and_tag_pages_list_exactly_their_articles(layout) -> None:  # type: ignore[no-untyped-def]
    site, _, directory_urls, _ = layout
    assert card_titles(page(site, directory_urls, "category/large-model/")) == NEWEST_FIRST[:2]
    generative = page(site, directory_urls, "category/generative-model/")
    assert card_titles(generative) == NEWEST_FIRST[2:4]
    assert card_titles(page(site, directory_urls, "tags/lora/")) == NEWEST_FIRST[:2]
    assert card_titles(page(site, directory_urls, "tags/vae/")) == ["VAE 与重参数"]
    index = page(site, directory_urls, "tags/").read_text(encoding="utf-8")
    assert '>LoRA</a> <span class="zk-count">2</span>' in index
    categories = page(site, directory_urls, "category/").read_text(encoding="utf-8")
    assert '>Generative Model</a> <span class="zk-count">2</span>' in categories


def test_every_internal_link_resolves(layout) -> None:  # type: ignore[no-untyped-def]
    site, _, _, site_path = layout
    assert broken_links(site, site_path) == []
    # The listings really link: every card on the home page reaches an article page.
    for href in card_links(site / "index.html"):
        target = resolve(site, site / "index.html", href)
        assert target is not None and target.is_file()


def test_feeds_parse_and_link_absolutely(layout) -> None:  # type: ignore[no-untyped-def]
    site, site_url, _, _ = layout
    for name in ("feeds/rss.xml", "feeds/atom.xml"):
        parsed = feedparser.parse((site / name).read_bytes())
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        assert [e.title for e in parsed.entries][:2] == ["LoRA 原理", "QLoRA：量化与 LoRA"]
        assert parsed.entries[-1].title == "Q&A <script>alert(1)</script>"
        for entry in parsed.entries:
            assert entry.link.startswith(site_url)
            built = resolve(site, site / "index.html", entry.link[len(site_url) :] or "./")
            assert built is not None and built.is_file(), entry.link
    doc = json.loads((site / "feeds/feed.json").read_text(encoding="utf-8"))
    assert doc["feed_url"] == site_url + "feeds/feed.json"
    assert doc["items"][0]["title"] == "LoRA 原理"


def test_every_page_links_the_three_feeds_in_its_head(layout) -> None:  # type: ignore[no-untyped-def]
    site, _, _, site_path = layout
    for built in html_pages(site):
        alternates = [a for t, a in tags(built) if t == "link" and a.get("rel") == "alternate"]
        assert {a["type"] for a in alternates} == {
            "application/rss+xml",
            "application/atom+xml",
            "application/feed+json",
        }, built
        for link in alternates:
            target = resolve(site, built, str(link["href"]), site_path)
            assert target is not None and target.is_file()


def test_article_pages_have_header_prevnext_and_related(layout) -> None:  # type: ignore[no-untyped-def]
    site, _, directory_urls, _ = layout
    qlora = page(site, directory_urls, "qlora/").read_text(encoding="utf-8")
    header = qlora[qlora.index('<header class="zk-article-header">') :]
    assert '<time class="zk-card__date" datetime="2026-01-12">2026年1月12日</time>' in header
    assert "约 1 分钟" in header and ">Large Model</a>" in header
    prevnext = qlora[qlora.index('<nav class="zk-prevnext"') :]
    assert "<span>上一篇</span> DDPM 扩散模型" in prevnext
    assert "<span>下一篇</span> LoRA 原理" in prevnext
    # LoRA 原理 is the most related article and already linked as 下一篇: not listed twice.
    footer = qlora[qlora.index('<nav class="zk-prevnext"') :].split('<footer class="md-footer"')[0]
    assert footer.count("LoRA 原理</a>") == 1 and footer.count("DDPM 扩散模型</a>") == 1
    vae = page(site, directory_urls, "sub/vae/").read_text(encoding="utf-8")
    assert '<span class="zk-card__estimated" title="日期为推算值">约</span>' in vae
    about = page(site, directory_urls, "about/").read_text(encoding="utf-8")
    assert "zk-article-header" not in about and "没有日期的普通页面" in about


def test_scraped_markup_never_becomes_html(layout) -> None:  # type: ignore[no-untyped-def]
    site, _, _, _ = layout
    for built in html_pages(site):
        text = built.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text, built
        assert "<img src=x onerror" not in text, built


def _error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, pages: dict[str, str], **options: object
) -> str:
    """The one error line MkDocs prints when the build stops."""
    site_url = str(options.pop("site_url", "https://example.org/"))
    config = write_site(tmp_path, pages, site_url=site_url, plugin=options)
    with pytest.raises((PluginError, Abort)):
        build_once(config, tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, errors
    return errors[0]


def test_bad_front_matter_is_a_build_error_naming_file_and_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad = "---\ntitle: 坏日期\ncategory: X\ndate: 2025-13-01\n---\n\n正文。\n"
    message = _error(tmp_path, caplog, {"bad.md": bad})
    assert message.endswith(
        'docs/bad.md:4: date "2025-13-01" is not a YYYY-MM-DD date; write it like 2026-01-15'
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "---\ntitle: 甲\ndate: 2026-01-01\ntitle: 乙\n---\n正文。\n",
            "docs/bad.md:4: title is given twice (also on line 2)",
        ),
        (
            "---\ntitle: [甲, 乙]\ndate: 2026-01-01\n---\n正文。\n",
            "docs/bad.md:2: title must be text, not a list or mapping",
        ),
        (
            "---\ntitle: 甲\ndate: 2026-01-01\n\n正文。\n",
            "docs/bad.md:1: front matter opened with --- is never closed",
        ),
    ],
)
def test_front_matter_mistakes_stop_the_build_naming_file_and_line(
    text: str, said: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # zhiku/feed reads front matter in on_files, before MkDocs reads each page's meta.
    message = _error(tmp_path, caplog, {"bad.md": text})
    assert said in message and "\n" not in message


def test_front_matter_closed_with_dots_is_listed(tmp_path: Path) -> None:
    dots = "---\ntitle: 点号结尾\ndate: 2026-01-01\ntags: CLIP、多模态\n...\n\n正文。\n"
    site = build_once(write_site(tmp_path, {"dots.md": dots}), tmp_path / "site")
    assert card_titles(site / "index.html") == ["点号结尾"]
    assert (site / "tags" / "clip" / "index.html").is_file()
    assert "点号结尾" in (site / "dots" / "index.html").read_text(encoding="utf-8")


def test_bad_option_is_a_clear_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    message = _error(tmp_path, caplog, {}, pagination_per_page=0)
    assert message == (
        "Config value 'plugins': Plugin 'zhiku/feed' option 'pagination_per_page': "
        "0 is too small; set it to 1 or more"
    )


def test_a_page_where_a_listing_goes_is_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pages = {"a.md": ARTICLES["lora.md"], "tags/index.md": "# 我自己的标签页\n"}
    message = _error(tmp_path, caplog, pages)
    assert message.endswith(
        "docs/tags/index.md:1: this file would be served at /tags/, where zhiku/feed puts "
        "a generated page; rename or move the file"
    )


def test_missing_site_url_is_an_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    message = _error(tmp_path, caplog, {"a.md": ARTICLES["lora.md"]}, site_url="")
    assert message.startswith("mkdocs.yml: site_url is not set")


def test_disabled_plugin_leaves_the_site_as_mkdocs_builds_it(tmp_path: Path) -> None:
    config = write_site(tmp_path, ARTICLES, plugin={"enabled": False})
    site = build_once(config, tmp_path / "site")
    assert not (site / "feed.xml").exists() and not (site / "tags").exists()
    lora = (site / "lora" / "index.html").read_text(encoding="utf-8")
    assert "zk-article-header" not in lora and 'rel="alternate"' not in lora

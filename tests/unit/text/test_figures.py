"""Captioned images become figures; every image loads lazily."""

from __future__ import annotations

import markdown

from zhiku.text.figures import make_figures


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["zhiku.glue.figures", "attr_list"])


def test_image_alone_with_a_title_is_a_captioned_figure() -> None:
    html = _html('![注意力热图](img/heatmap.png "图 1：注意力 <热图> & 说明")')
    assert html.startswith('<figure class="zk-figure"><img alt="注意力热图"')
    assert "<figcaption>图 1：注意力 &lt;热图&gt; &amp; 说明</figcaption>" in html
    assert 'title="' not in html, "the caption is not repeated as a tooltip"
    assert 'loading="lazy"' in html and 'decoding="async"' in html


def test_image_without_title_or_inside_text_stays_an_image() -> None:
    for text in ("![图](a.png)", '见 ![图](a.png "标题") 所示。', '[![图](a.png "t")](b.html)'):
        html = _html(text)
        assert "<figure" not in html, text
        assert 'loading="lazy"' in html, text


def test_the_authors_own_loading_choice_stands() -> None:
    html = _html('![封面](cover.png "封面"){ loading=eager }')
    assert 'loading="eager"' in html and "<figcaption>封面</figcaption>" in html


def test_count_of_figures_made() -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring('<div><p><img src="a" title="甲"/></p><p><img src="b"/></p></div>')
    assert make_figures(root) == 1
    assert [child.tag for child in root] == ["figure", "p"]

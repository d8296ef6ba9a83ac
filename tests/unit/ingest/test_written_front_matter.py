import datetime as dt

from zhiku.articles import Article, dump_article


def test_an_article_without_tags_is_still_written_one_key_a_line() -> None:
    # PyYAML's default_flow_style=None wrote `{title: …, date: …}` for scalar-only front matter.
    text = dump_article(
        Article(path="a.md", title="装饰器", date=dt.date(2026, 1, 18), body="正文\n")
    )
    assert text == "---\ntitle: 装饰器\ndate: 2026-01-18\ncategory: 未分类\n---\n\n正文\n"

from pathlib import Path
from typing import Any


def test_home_page_opens_offline(sample_site: Path, serve: Any, page: Any) -> None:
    base = serve(sample_site)
    page.goto(base)
    assert "知库" in page.title()
    assert page.zhiku_offsite == [], "the page tried to reach another host"
    assert page.zhiku_console_errors == []

"""Embedded sections and paper pages as a reader sees them, on a phone and a desktop:
rendered (formulas typeset), accessible (axe: nothing serious), nothing fetched elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

ATTENTION = """---
title: 注意力机制
date: 2026-02-01
category: 深度学习
tags: [Transformer]
paper:
  arxiv: "1706.03762"
  title: Attention Is All You Need
  authors: [Ashish Vaswani, Noam Shazeer]
  venue: NeurIPS
  year: 2017
---

## 缩放点积

打分是 $QK^\\top/\\sqrt{d_k}$。

> [!TIP] 记住
> 除以 $\\sqrt{d_k}$ 是为了让方差保持为 1。

```python
scores = q @ k.T
```

## 多头

多头把表示切成几份。
"""
READING = """---
title: Transformer 读书笔记
date: 2026-03-01
category: 读书笔记
tags: [笔记]
---

先复习打分：

![[注意力机制#缩放点积]]

原文见 https://arxiv.org/abs/1706.03762 。
"""


@pytest.fixture(scope="module")
def kb_site(tmp_path_factory: pytest.TempPathFactory, mkdocs_build: Any) -> Path:
    docs = tmp_path_factory.mktemp("embed-docs")
    (docs / "index.md").write_text(
        (ROOT / "content" / "index.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (docs / "ml").mkdir()
    (docs / "ml" / "attention.md").write_text(ATTENTION, encoding="utf-8")
    (docs / "reading.md").write_text(READING, encoding="utf-8")
    site = tmp_path_factory.mktemp("embed-site") / "site"
    return mkdocs_build(ROOT / "mkdocs.yml", site, docs_dir=str(docs))


def _open(page: Any, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", [390, 1280])
def test_an_embedded_section_reads_as_part_of_the_page(
    kb_site: Path,
    serve: Any,
    page: Any,
    axe_serious: Any,
    wait_for_math: Any,
    overflow: Any,
    width: int,
) -> None:
    base = serve(kb_site)
    _open(page, base + "reading/", width)
    wait_for_math(page)
    box = page.locator(".zk-embed")
    assert box.count() == 1 and box.is_visible()
    assert box.locator(".katex").count() >= 2  # typeset, in the text and in the callout
    assert box.locator(".admonition.tip").is_visible()
    assert "多头把表示" not in box.inner_text()
    assert axe_serious(page) == []
    assert overflow(page)["panned"] <= 1
    source = box.locator(".zk-embed__source a")
    assert "《注意力机制 › 缩放点积》" in source.inner_text()
    source.click()
    page.wait_for_url("**/ml/attention/#*")
    assert page.zhiku_offsite == [] and page.zhiku_console_errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_paper_pages_list_the_notes_and_export_bibtex(
    kb_site: Path, serve: Any, page: Any, axe_serious: Any, overflow: Any, width: int
) -> None:
    base = serve(kb_site)
    _open(page, base + "papers/", width)
    assert page.locator(".zk-papers__title a").first.inner_text() == "Attention Is All You Need"
    assert axe_serious(page) == []
    page.locator(".zk-papers__title a").first.click()
    page.wait_for_url("**/papers/1706.03762/")
    assert "Ashish Vaswani" in page.locator(".zk-paper").inner_text()
    assert page.locator(".zk-card__title", has_text="注意力机制").count() == 1
    assert page.locator(".zk-card__title", has_text="Transformer 读书笔记").count() == 1
    assert axe_serious(page) == []
    assert overflow(page)["panned"] <= 1
    with page.expect_download() as download:
        page.locator("a[download]", has_text="导出 BibTeX").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("@inproceedings{vaswani2017attention,")
    assert page.zhiku_offsite == [] and page.zhiku_console_errors == []

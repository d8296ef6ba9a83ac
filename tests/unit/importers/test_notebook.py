"""Jupyter notebooks as notes: what a reader of the imported page sees of each cell and
output, and how `zhiku import` files them (images beside the note, a jupytext pair once,
a broken notebook reported, checkpoints left out, a second run changing nothing)."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from zhiku.importers.notebook import (
    MAX_LINES,
    NotebookError,
    html_tables,
    language_of,
    plain_text,
    read_notebook,
)
from zhiku.importers.run import import_notes
from zhiku.importers.source import split_source
from zhiku.text.slug import heading_anchor

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "notes" / "notebook" / "ml-biji"
TIME = 1704196800.0  # 2024-01-02 12:00 UTC
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
PY = {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}


def notebook(cells: list[dict[str, Any]], metadata: dict[str, Any] | None = None) -> str:
    return json.dumps(
        {"cells": cells, "metadata": PY if metadata is None else metadata, "nbformat": 4},
        ensure_ascii=False,
    )


def md(text: str, **extra: Any) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(True), **extra}


def code(text: str, *outputs: dict[str, Any], tags: list[str] | None = None) -> dict[str, Any]:
    metadata = {"tags": tags} if tags else {}
    return {"cell_type": "code", "metadata": metadata, "source": text, "outputs": list(outputs)}


def shown(text: str, name: str = "a.ipynb") -> tuple[dict[str, Any], str]:
    converted = read_notebook(text, name)
    meta, body, _ = split_source(converted.text)
    return meta, body


def test_markdown_stays_markdown_and_code_is_fenced_with_output_after_it() -> None:
    text = notebook(
        [
            md("# 第2章 感知机\n\n感知机 $f(x)=\\operatorname{sign}(w \\cdot x+b)$。"),
            code("print('你好')", {"output_type": "stream", "name": "stdout", "text": ["你好\n"]}),
        ]
    )
    meta, body = shown(text)
    assert meta == {"title": "第2章 感知机"}  # the opening heading is the title, taken out
    assert body.strip() == (
        "感知机 $f(x)=\\operatorname{sign}(w \\cdot x+b)$。\n\n"
        "```python\nprint('你好')\n```\n\n```text title=\"输出\"\n你好\n```"
    )


def test_the_title_is_metadata_then_the_first_heading_then_none() -> None:
    cells = [md("# Logistic Regression\n\n正文"), md("# 第二节")]
    meta, body = shown(notebook(cells, {**PY, "title": "逻辑回归", "tags": ["分类"]}))
    assert meta["title"] == "逻辑回归" and meta["tags"] == ["分类"]
    assert "# Logistic Regression" in body  # not the title: it stays in the text
    meta, body = shown(notebook([md("## 小节\n\n正文")]))
    assert "title" not in meta and "## 小节" in body  # the file name will title it


@pytest.mark.parametrize(
    ("metadata", "fence"),
    [
        ({"kernelspec": {"language": "R", "name": "ir"}}, "r"),
        ({"language_info": {"name": "C++17"}}, "cpp"),
        ({}, "python"),
    ],
)
def test_code_is_fenced_in_the_kernels_language(metadata: dict[str, Any], fence: str) -> None:
    assert language_of(metadata) == fence


def test_terminal_output_loses_colours_and_progress_bars_and_long_output_is_cut() -> None:
    text, cut = plain_text("\x1b[1;31m错误\x1b[0m\n 10%|#   \r 100%|#####|\n")
    assert (text, cut) == ("错误\n 100%|#####|", 0)
    long = "\n".join(f"epoch {i}" for i in range(MAX_LINES + 50))
    text, cut = plain_text(long)
    assert cut > 0 and f"此处省略 {cut} 行输出" in text
    assert text.startswith("epoch 0\n") and text.endswith(f"epoch {MAX_LINES + 49}")


def test_figures_become_image_files_named_beside_the_notebook() -> None:
    data = base64.b64encode(PNG).decode()
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    output = {
        "output_type": "display_data",
        "data": {"image/png": data, "text/plain": "<Figure size 432x288 with 1 Axes>"},
        "metadata": {"image/png": {"width": 300}},
    }
    svg_out = {"output_type": "display_data", "data": {"image/svg+xml": svg}, "metadata": {}}
    converted = read_notebook(notebook([code("plt.show()", output, svg_out)]), "第 1 章.ipynb")
    assert converted.files == {
        "第 1 章.ipynb.outputs/cell-1.png": PNG,
        "第 1 章.ipynb.outputs/cell-1-2.svg": svg.encode(),
    }
    link = "%E7%AC%AC%201%20%E7%AB%A0.ipynb.outputs/cell-1.png"
    assert f'![单元格 1 的输出]({link}){{ width="300" }}' in converted.text
    assert data[:20] not in converted.text  # search and excerpts never see base64


def test_a_markdown_cells_attachment_is_a_file_too() -> None:
    cell = md("截图：![image.png](attachment:image.png)")
    cell["attachments"] = {"image.png": {"image/png": base64.b64encode(PNG).decode()}}
    converted = read_notebook(notebook([cell]), "a.ipynb")
    assert converted.files == {"a.ipynb.outputs/image.png": PNG}
    assert "![image.png](a.ipynb.outputs/image.png)" in converted.text


def test_a_dataframe_is_a_markdown_table_its_cells_data_not_markup() -> None:
    html = (
        "<div><style scoped>.dataframe td {color: red}</style>"
        '<table border="1" class="dataframe"><thead>'
        '<tr style="text-align: right;"><th></th><th colspan="2" halign="left">身高</th></tr>'
        "<tr><th>学校</th><th>男</th><th>女</th></tr></thead><tbody>"
        '<tr><th rowspan="2">北大</th><td>175</td><td>&lt;b&gt;x|y&lt;/b&gt;</td></tr>'
        "<tr><td>$5</td><td>*a*</td></tr></tbody></table><p>2 rows × 2 columns</p></div>"
    )
    assert html_tables(html) == [
        "| 学校 | 身高 男 | 身高 女 |\n"
        "|---|---|---|\n"
        "| 北大 | 175 | &lt;b\\>x\\|y&lt;/b\\> |\n"
        "|  | \\$5 | \\*a\\* |",
        "2 rows × 2 columns",
    ]


def test_html_without_a_table_falls_back_to_text_and_never_reaches_the_page() -> None:
    styler = {"text/html": "<b>hi</b><script>alert(1)</script>", "text/plain": "Styler"}
    plotly = {"text/html": "<div id='f'></div><script>Plotly.newPlot('f')</script>"}
    outputs = [
        {"output_type": "execute_result", "data": d, "metadata": {}} for d in (styler, plotly)
    ]
    converted = read_notebook(notebook([code("x", *outputs)]), "a.ipynb")
    assert "<script" not in converted.text and "<b>" not in converted.text
    assert '```text title="输出"\nStyler\n```' in converted.text
    assert "an output of type text/html (no text or image form) left out" in converted.notes


def test_latex_is_display_math_markdown_output_is_markdown_without_live_html() -> None:
    latex = {"text/latex": "$\\displaystyle 2 w - 6$", "text/plain": "2*w - 6"}
    mark = {"text/markdown": "**准确率** <img src=x onerror=alert(1)>"}
    raw_tex = {"cell_type": "raw", "metadata": {"raw_mimetype": "text/latex"}, "source": "a^2"}
    raw_rst = {"cell_type": "raw", "metadata": {"format": "text/restructuredtext"}, "source": "x"}
    outputs = [{"output_type": "execute_result", "data": d, "metadata": {}} for d in (latex, mark)]
    converted = read_notebook(notebook([code("x", *outputs), raw_tex, raw_rst]), "a.ipynb")
    _, body = split_source(converted.text)[:2]
    assert "$$\n\\displaystyle 2 w - 6\n$$" in body
    assert "**准确率** &lt;img src=x onerror=alert(1)>" in body
    assert "$$\na^2\n$$" in body
    assert converted.notes == ("a raw cell (text/restructuredtext) left out: x",)


def test_tracebacks_are_text_and_address_reprs_and_removed_cells_are_left_out() -> None:
    error = {
        "output_type": "error",
        "ename": "ZeroDivisionError",
        "evalue": "division by zero",
        "traceback": ["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"],
    }
    line = {
        "output_type": "execute_result",
        "data": {"text/plain": "[<matplotlib.lines.Line2D at 0x7f3a2c1e5d90>]"},
        "metadata": {},
    }
    cells = [code("1/0", error), code("plt.plot(x)", line), code("答案 = 42", tags=["remove-cell"])]
    converted = read_notebook(notebook(cells), "a.ipynb")
    assert '```text title="错误"\nZeroDivisionError: division by zero\n```' in converted.text
    assert "Line2D" not in converted.text and "答案" not in converted.text
    assert "1 cell tagged remove-cell left out" in converted.notes


def test_a_version_3_notebook_is_read() -> None:
    old = {
        "nbformat": 3,
        "metadata": {"name": ""},
        "worksheets": [
            {
                "cells": [
                    {"cell_type": "heading", "level": 1, "source": "均值"},
                    {
                        "cell_type": "code",
                        "input": "mean(x)",
                        "outputs": [{"output_type": "pyout", "text": "2.0", "png": "iVBO"}],
                    },
                ]
            }
        ],
    }
    meta, body = shown(json.dumps(old, ensure_ascii=False))
    assert meta == {"title": "均值"}
    assert body.strip().startswith("```python\nmean(x)\n```")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('{\n "cells": [\n  {"cell_type": "code",,}\n ]\n}', 3, "not a valid notebook"),
        ("[1, 2]", 1, "not a Jupyter notebook"),
    ],
)
def test_a_file_that_is_not_a_notebook_says_where_and_why(text: str, line: int, words: str) -> None:
    with pytest.raises(NotebookError) as err:
        read_notebook(text, "a.ipynb")
    assert err.value.line == line and words in err.value.message


def copy_fixture(tmp_path: Path) -> Path:
    source = tmp_path / "src" / FIXTURE.name
    shutil.copytree(FIXTURE, source)
    for path in source.rglob("*"):
        os.utime(path, (TIME, TIME))
    return source


def test_a_notes_folder_of_notebooks_imports_once_each_with_its_images(tmp_path: Path) -> None:
    source, content = copy_fixture(tmp_path), tmp_path / "content"
    (source / "坏掉的.ipynb").write_text('{"cells": [', encoding="utf-8")
    outcome = import_notes([str(source)], content)
    records = {r.source.rsplit("/", 1)[-1]: r for r in outcome.plan.records}
    assert records["1.线性回归.ipynb"].file == "di-1-zhang-xianxing-huigui.md"
    assert records["2.逻辑回归.ipynb"].file == "luoji-huigui.md"
    assert records["R均值.ipynb"].file == "r-yuyan-li-de-junzhi.md"
    twin = records["决策树.ipynb"]  # the jupytext pair: the Markdown comes in, once
    assert twin.status == "skipped" and "jupytext pair of 第03章 决策树/决策树.md" in (
        twin.reason or ""
    )
    assert records["决策树.md"].file == "jueceshu.md"
    assert not any("checkpoint" in r.source for r in outcome.plan.records)
    assert records["坏掉的.ipynb"].status == "failed"
    assert outcome.errors == [
        f"{source}/坏掉的.ipynb:1: not a valid notebook (Expecting value in its JSON); "
        "open it in Jupyter and save it again, or repair it"
    ]
    page = (content / "di-1-zhang-xianxing-huigui.md").read_text(encoding="utf-8")
    assert "![单元格 7 的输出](assets/di-1-zhang-xianxing-huigui/cell-7.png)" in page
    assert "![image.png](assets/di-1-zhang-xianxing-huigui/image.png)" in page
    assert "![流程图](assets/di-1-zhang-xianxing-huigui/flow.png)" in page
    assert "参见[逻辑回归](luoji-huigui.md)。" in page
    assert "category: 第01章 线性回归" in page
    assert (
        (content / "assets/di-1-zhang-xianxing-huigui/cell-7.png")
        .read_bytes()
        .startswith(b"\x89PNG")
    )
    assert "iVBOR" not in page
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    again = import_notes([str(source)], content)
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before
    assert {r.status for r in again.plan.records if r.file} == {"unchanged"}


def test_a_jupytext_script_beside_its_notebook_is_named_as_its_pair(tmp_path: Path) -> None:
    source = tmp_path / "笔记"
    source.mkdir()
    (source / "knn.ipynb").write_text(notebook([md("# k 近邻\n\n#1. 距离度量")]), "utf-8")
    (source / "knn.py").write_text("# %%\nprint(1)\n", encoding="utf-8")
    outcome = import_notes([str(source)], tmp_path / "content")
    records = {r.source.rsplit("/", 1)[-1]: r for r in outcome.plan.records}
    assert records["knn.ipynb"].status == "created"
    assert (
        records["knn.py"].reason
        == "a jupytext pair of knn.ipynb, which is imported; not imported twice"
    )
    page = (tmp_path / "content" / "k-jinlin.md").read_text(encoding="utf-8")
    assert "\\#1. 距离度量" in page  # Jupyter's CommonMark reads it as text, not a heading


def test_a_table_of_contents_cell_links_to_the_headings_by_jupyters_anchors(
    tmp_path: Path,
) -> None:
    source = tmp_path / "笔记"
    source.mkdir()
    toc = md(" - [2.1 创建Tagging函数](#2.1-创建Tagging函数)\n")
    cells = [md("# 标记和提取"), toc, md("## 2.1 创建Tagging函数\n\n正文")]
    (source / "tagging.ipynb").write_text(notebook(cells), encoding="utf-8")
    (source / "空的.ipynb").write_text("", encoding="utf-8")
    outcome = import_notes([str(source)], tmp_path / "content")
    page = (tmp_path / "content" / "biaoji-he-tiqu.md").read_text(encoding="utf-8")
    assert f"[2.1 创建Tagging函数](#{heading_anchor('2.1 创建Tagging函数')})" in page
    assert outcome.errors == [
        f"{source}/空的.ipynb:1: an empty file, not a notebook; save it again in Jupyter or "
        "delete it"
    ]


def test_table_of_contents_links_by_jupyters_anchors_land_on_the_pages_headings() -> None:
    toc = md(
        "- [第1章](#第1章-感知机)\n"
        "- [2.1 英文版](#2.1-英文版)\n"
        "- [策略一](#3.1-**策略一-分隔符**)\n"
        "- [安装](#1.1-安装相关包-)\n"
        "- [别处](#不存在的标题)\n"
    )
    cells = [
        md("# 第1章 感知机"),
        toc,
        md("## 2.1 英文版\n\n### 1.1 安装相关包 \n\n## 2.1 英文版"),
        md("### 3.1 **策略一 分隔符**"),
    ]
    _, body = shown(notebook(cells))
    assert "- [第1章](#)\n" in body  # the heading that became the title: the page's top
    assert f"- [2.1 英文版](#{heading_anchor('2.1 英文版')})\n" in body  # the first of two
    assert f"- [策略一](#{heading_anchor('3.1 策略一 分隔符')})\n" in body
    assert f"- [安装](#{heading_anchor('1.1 安装相关包')})\n" in body
    assert "- [别处](#不存在的标题)" in body  # broken in the source: the build says where


def test_widgets_and_display_object_reprs_are_left_out() -> None:
    progress = {
        "application/vnd.jupyter.widget-view+json": {"model_id": "3f2a", "version_major": 2},
        "text/plain": "HBox(children=(FloatProgress(value=0.0, max=100.0), HTML(value='')))",
    }
    image = {"text/plain": "<IPython.core.display.Image object>", "text/html": "<img src='a.png'>"}
    outputs = [
        {"output_type": "display_data", "data": d, "metadata": {}} for d in (progress, image)
    ]
    converted = read_notebook(
        notebook([code("for _ in tqdm(range(100)): pass", *outputs)]), "a.ipynb"
    )
    assert "HBox" not in converted.text and "IPython" not in converted.text
    assert "an interactive widget (ipywidgets) left out" in converted.notes


def test_a_markdown_notes_pasted_images_become_files_and_search_never_sees_base64(
    tmp_path: Path,
) -> None:
    """Typora and Jupyter's Markdown export paste figures as data: URLs; a note of them
    is megabytes of base64, past the build's page-size limit."""
    data = base64.b64encode(PNG).decode()
    notes = tmp_path / "notes"
    notes.mkdir()
    pasted = f"data:image/png;base64,{data}"
    body = f"# 绘图\n\n![曲线]({pasted})\n\n![同一张]({pasted})\n"
    (notes / "plot.md").write_text(body, encoding="utf-8")
    outcome = import_notes([str(notes)], tmp_path / "content")
    assert not outcome.errors
    text = (tmp_path / "content" / "huitu.md").read_text(encoding="utf-8")
    assert "base64" not in text
    assert "![曲线](assets/huitu/pasted-1.png)" in text
    assert (tmp_path / "content" / "assets" / "huitu" / "pasted-1.png").read_bytes() == PNG
    report = json.dumps(outcome.report(), ensure_ascii=False)
    assert "2 pasted (base64) images written as files" in report
    again = import_notes([str(notes)], tmp_path / "content")
    assert {r.status for r in again.plan.records if r.file} == {"unchanged"}, (
        "a second run writes nothing"
    )

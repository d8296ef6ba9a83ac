"""Hostile articles: one article of an extreme shape on a tiny site, timed cold.

    python scripts/hostile_articles.py [--shape body links wiki headings] [--size N]
                                       [--work DIR] [--profile]

Each shape is a fresh copy of the repository's ``mkdocs.yml`` and theme overrides over
``content/`` holding three of the sample's articles and one hostile article:

- ``body``: a body of ``--mb`` megabytes (20) of Chinese prose, inline and display math
  and Python code, repeated;
- ``wiki``: ``--size`` (10,000) ``[[wiki links]]``, half to existing titles, half missing;
- ``links``: ``--size`` Markdown links, to existing articles, missing files and the web;
- ``headings``: ``--size`` ``##`` headings, each with a line of text;
- ``paragraph``: ``--size`` Markdown links in one paragraph;
- ``fences``: ``--size`` fenced code blocks;
- ``blank``: ``--size`` blank lines.

``--mb`` may be a fraction (``--mb 0.99``: just under the 1 MiB a page may be).

The build is ``python -m mkdocs build`` (not ``--strict``: missing links are warnings)
in a fresh process with no ``.cache/``; wall and CPU seconds (user + sys of the build and
its workers: steadier than wall on a shared machine) and the first error line are
printed. ``--profile`` keeps a cProfile file per shape in the work folder.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEEP = ("clip-suanfa-yuanli.md", "deepseek-v3.md", "detr.md")
TITLES = ("CLIP算法原理", "DeepSeek-V3", "DETR")
HEAD = "---\ntitle: 敌意文章\ndate: 2026-02-01\ncategory: Python\ntags: [Python]\n---\n\n"
PROSE = (
    "注意力机制把查询与键的相似度归一化为权重，再对值加权求和；"
    "多头注意力在不同的子空间里并行地做这件事，最后拼接起来。"
    "训练时学习率先线性升温再余弦衰减，批量越大升温越久，梯度裁剪防止早期发散。\n\n"
    "公式 $\\mathrm{softmax}(QK^\\top/\\sqrt{d})V$ 是它的核心，"
    "其中 $d$ 是键的维度，除以 $\\sqrt{d}$ 让点积的方差不随维度增长。"
    "位置编码把顺序信息加进来，旋转位置编码让相对位置体现在内积里。\n\n"
    "$$\n\\mathcal{L} = -\\sum_{i} y_i \\log \\hat{y}_i\n$$\n\n"
    "交叉熵在类别很多时计算量大，可以用采样的 softmax 近似；"
    "标签平滑把一部分概率分给其他类别，模型不会过分自信。"
    "混合精度训练用半精度存激活，用单精度累加梯度，再配合损失缩放避免下溢。\n\n"
    "```python\ndef attention(q, k, v):\n    w = (q @ k.T).softmax(-1)\n    return w @ v\n```\n\n"
)


def hostile(shape: str, size: int, megabytes: float) -> str:
    if shape == "body":
        room = int(megabytes * 2**20) - len(HEAD.encode("utf-8"))
        return HEAD + PROSE * (room // len(PROSE.encode("utf-8")))
    if shape == "wiki":
        lines = (
            f"第 {n} 条：[[{TITLES[n % 3]}]]" if n % 2 else f"第 {n} 条：[[不存在的文章 {n}]]"
            for n in range(size)
        )
        return HEAD + "\n\n".join(lines) + "\n"
    if shape == "links":
        targets = (KEEP[0], "missing.md", "https://example.org/x", f"{KEEP[1]}#top")
        lines = (f"第 {n} 条：[链接 {n}]({targets[n % 4]})" for n in range(size))
        return HEAD + "\n\n".join(lines) + "\n"
    if shape == "headings":
        return HEAD + "".join(f"## 第 {n} 节\n\n一行正文 {n}。\n\n" for n in range(size))
    if shape == "paragraph":
        return HEAD + "".join(f"[链接 {n}]({KEEP[n % 3]}) " for n in range(size)) + "\n"
    if shape == "fences":
        return HEAD + "".join(f"```python\nx = {n}\n```\n\n" for n in range(size))
    if shape == "blank":
        return HEAD + "开头。\n" + "\n" * size + "结尾。\n"
    raise ValueError(shape)


def site(work: Path, shape: str, size: int, megabytes: float) -> Path:
    root = work / shape
    shutil.rmtree(root, ignore_errors=True)
    (root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "theme_overrides", root / "theme_overrides")
    for name in ("index.md", *KEEP):
        shutil.copy(ROOT / "content" / name, root / "content" / name)
    (root / "content" / "hostile.md").write_text(hostile(shape, size, megabytes), "utf-8")
    return root


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", nargs="+", default=["body", "wiki", "links", "headings"])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="zhiku-hostile-"))
    for shape in args.shape:
        root = site(work, shape, args.size, args.mb)
        profile = ["-m", "cProfile", "-o", str(work / f"{shape}.prof")] if args.profile else []
        command = [sys.executable, *profile, "-m", "mkdocs", "build", "-q"]
        start, cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run(
            command, cwd=root, capture_output=True, text=True, encoding="utf-8", check=False
        )
        seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
        said = next((line for line in done.stderr.splitlines() if "ERROR" in line), "")
        size = (root / "content" / "hostile.md").stat().st_size
        times = f"{seconds:6.1f} s wall {cpu:6.1f} s CPU"
        print(f"{shape:9} {size / 2**20:6.1f} MiB  {times}  exit {done.returncode}  {said}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What notes written with $…$ math render to (mkdocs build --strict)."""

from __future__ import annotations

import re
from pathlib import Path

from feed_sites import article, built
from render_sites import write_render_site

BODY = r"""一篇 Hexo 风格的笔记，公式写在美元符号之间。

设 $f(x) = x^2$，则 $f'(x)=2x$；行内 \(a+b\) 也照旧。

价格从 $5 涨到 $10，转义的 \$3 也是钱。

代码里的 `$HOME` 与 `$x$` 不是公式：

```bash
echo "$PATH costs $5"
```

[NOI2014] 之外，原文也写 \[NOI2014\] 动物园 这样转义的方括号。

$$
\sum_{i=1}^{n} i = \frac{n(n+1)}{2}
$$

\[
E = mc^2
\]
"""


def test_dollar_math_typesets_and_prices_code_and_brackets_do_not(tmp_path: Path) -> None:
    note = article("笔记", "2024-03-01", "数学", [], BODY)
    config = write_render_site(tmp_path, {"note.md": note})
    built(config, tmp_path / "site")
    html = (tmp_path / "site" / "note" / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r'<script type="math/tex">(.*?)</script>', html, re.DOTALL)
    display = re.findall(r'<script type="math/tex; mode=display">(.*?)</script>', html, re.DOTALL)
    assert inline == ["f(x) = x^2", "f'(x)=2x", "a+b"]
    assert len(display) == 2 and "\\sum" in display[0] and "E = mc^2" in display[1]
    assert "价格从 $5 涨到 $10，转义的 $3 也是钱。" in html
    assert "<code>$HOME</code>" in html and "<code>$x$</code>" in html
    assert "$PATH costs $5" in re.sub(r"<[^>]+>", "", html)  # highlighted, not typeset
    assert "&#91;NOI2014&#93; 动物园" in html

"""Images of the site's own files get their width and height in the built page, so the
browser keeps their room before a lazy image loads (no layout shift).

The scenario is a Hexo-style post with a screenshot beside it, one under a site-root
path, an image sized by its author and one from another host.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from feed_sites import build_once as build

from zhiku.glue.figures import current_image_inputs, image_input, image_inputs

ROOT = Path(__file__).resolve().parents[2]

POST = """---
title: 训练曲线
date: 2026-03-01
category: 实验
---

损失在第三个 epoch 之后趋平。

![损失曲线](img/loss.png "图 1：训练损失")

![架构](/assets/arch.svg)

![缩略图](img/loss.png){ width=200 }

![外链](https://example.org/remote.png)
"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 270"><rect/></svg>'


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x80\x80\x80" * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def _site(root: Path) -> tuple[Path, Path]:
    content = root / "content"
    (content / "img").mkdir(parents=True)
    (content / "assets").mkdir()
    (content / "index.md").write_text(
        (ROOT / "content" / "index.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (content / "quxian.md").write_text(POST, encoding="utf-8")
    (content / "img" / "loss.png").write_bytes(_png(640, 360))
    (content / "assets" / "arch.svg").write_text(SVG, encoding="utf-8")
    # The repository's mkdocs.yml, on this content.
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: content", f"docs_dir: {content}")
    text = text.replace("custom_dir: theme_overrides", f"custom_dir: {ROOT / 'theme_overrides'}")
    config = root / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config, content


def _images(site: Path) -> list[str]:
    html = (site / "quxian" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    return re.findall(r"<img [^>]*>", article)


def test_local_images_carry_their_size_and_others_are_left_alone(tmp_path: Path) -> None:
    config, _ = _site(tmp_path)
    images = _images(build(config, tmp_path / "site"))
    assert len(images) == 4
    loss, arch, thumb, remote = images
    assert 'width="640"' in loss and 'height="360"' in loss
    assert 'width="480"' in arch and 'height="270"' in arch
    assert 'width="200"' in thumb and "height=" not in thumb, "the author's size stands"
    assert "width=" not in remote and "height=" not in remote


def test_the_size_input_changes_with_the_image_not_with_its_bytes(tmp_path: Path) -> None:
    class Shown:
        src_uri = "img/loss.png"
        content_bytes = _png(640, 360)

    before = image_input(Shown())
    Shown.content_bytes = _png(640, 360).replace(b"\x80\x80\x80", b"\x10\x20\x30")
    assert image_input(Shown()) == before == ("image: img/loss.png", "640x360")
    Shown.content_bytes = _png(800, 600)
    assert image_input(Shown()) == ("image: img/loss.png", "800x600")


def test_an_image_replaced_by_one_of_another_size_gets_its_new_size_on_a_warm_build(
    tmp_path: Path,
) -> None:
    config, content = _site(tmp_path)
    site = tmp_path / "site"
    build(config, site)
    build(config, site)  # warm: the cache now holds the page as it is
    (content / "img" / "loss.png").write_bytes(_png(800, 600))
    loss = _images(build(config, site))[0]
    assert 'width="800"' in loss and 'height="600"' in loss


def test_a_converted_pages_image_inputs_name_the_files_it_shows(tmp_path: Path) -> None:
    from mkdocs.structure.files import File, Files

    docs = tmp_path / "docs"
    (docs / "img").mkdir(parents=True)
    (docs / "img" / "loss.png").write_bytes(_png(640, 360))
    (docs / "assets").mkdir()
    (docs / "assets" / "arch.svg").write_text(SVG, encoding="utf-8")
    files = Files(
        [
            File(path, str(docs), str(tmp_path / "site"), use_directory_urls=True)
            for path in ("img/loss.png", "assets/arch.svg")
        ]
    )
    html = (
        '<p><img alt="a" src="../img/loss.png" width="640" height="360" /></p>'
        '<img src="../assets/arch.svg" alt="b">'
        '<img src="https://example.org/remote.png">'
        '<img src="../img/gone.png">'
    )
    assert image_inputs(html, "quxian/index.html", files) == {
        "image: img/loss.png": "640x360",
        "image: assets/arch.svg": "480x270",
    }
    recorded = image_inputs(html, "quxian/index.html", files)
    assert current_image_inputs(recorded, files) == recorded
    (docs / "img" / "loss.png").write_bytes(_png(800, 600))
    assert current_image_inputs(recorded, files)["image: img/loss.png"] == "800x600"
    (docs / "assets" / "arch.svg").unlink()
    assert current_image_inputs(recorded, files)["image: assets/arch.svg"] == ""

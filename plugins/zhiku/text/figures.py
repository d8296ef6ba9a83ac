"""Images of an article as figures: captions, lazy loading.

:func:`make_figures` works on the element tree Python-Markdown builds (plain
``xml.etree`` elements): an image alone in its paragraph with a title,
``![注意力热图](heatmap.png "图 1：注意力热图")``, becomes a ``<figure>`` whose
``<figcaption>`` is the title, as Pandoc, Hexo and Typora render it; every image
loads lazily and decodes off the main thread, so a figure-heavy note opens as fast as
a short one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET


def make_figures(root: ET.Element) -> int:
    """Turn captioned images under ``root`` into figures, in place; return how many."""
    made = 0
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag == "img":
                _lazy(child)
            if child.tag != "p" or len(child) != 1 or (child.text or "").strip():
                continue
            image = child[0]
            if image.tag != "img" or (image.tail or "").strip() or not image.get("title"):
                continue
            figure = ET.Element("figure", {"class": "zk-figure"})
            figure.tail = child.tail
            caption = image.attrib.pop("title")
            image.tail = None
            _lazy(image)
            figure.append(image)
            ET.SubElement(figure, "figcaption").text = caption
            parent.remove(child)
            parent.insert(index, figure)
            made += 1
    return made


def _lazy(image: ET.Element) -> None:
    # An author's own choice (attr_list: { loading=eager }) stands.
    image.attrib.setdefault("loading", "lazy")
    image.attrib.setdefault("decoding", "async")

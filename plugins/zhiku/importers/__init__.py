"""``zhiku import``: bring an existing notes folder (Hexo, Hugo, Jekyll, Obsidian, MkDocs,
plain Markdown) into content/. Pure except :mod:`zhiku.importers.run`, the I/O shell."""

"""Scraped dumps -> articles in content/. Pure modules, plus the ``run`` I/O shell."""

"""The render cache's parts; the plugin that wires them to MkDocs is
:mod:`zhiku.glue.render_cache`.

- :mod:`~zhiku.glue.cache.inputs`: what a page's output is a function of, as named inputs
  and keys;
- :mod:`~zhiku.glue.cache.site`: the site folder between builds, which pages a build
  renders and what it removes (:mod:`~zhiku.glue.cache.outputs` keeps the ledger);
- :mod:`~zhiku.glue.cache.pages`: one build's pages through the store;
- :mod:`~zhiku.glue.cache.stored`: what is stored of a page and how it is put back;
- :mod:`~zhiku.glue.cache.workers`: converting ahead in worker processes.
"""

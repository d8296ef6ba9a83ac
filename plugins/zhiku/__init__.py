"""Zhiku (知库): a static blog and knowledge-base generator for Chinese technical writing.

The package is laid out as the pipeline it implements::

    ingest/    scraped dumps -> articles (pure, except ``ingest.run``)
    articles/  the contract between ingest and build: model, front matter, store
    text/      Chinese-first helpers: segmentation, reading time, excerpt, slug, dates
    listing/   pagination, grouping, archive, related articles, feeds
    search/    tokenizer, index shards, manifest; ``assets/`` holds the browser code
    build/     what builds remember: one key module, one store (.cache/zhiku/build.sqlite)
    glue/      the only code that imports MkDocs or Material
"""

__version__ = "0.1.0"

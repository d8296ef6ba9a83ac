"""The index the engine's Node tests query (tests/vectors/search_site.json) is current."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


def test_committed_search_site_index_is_what_the_indexer_makes(tmp_path: Path) -> None:
    script = VECTORS / "make_search_site.py"
    spec = importlib.util.spec_from_file_location("make_search_site", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = json.loads((VECTORS / "search_site.json").read_text("utf-8"))
    module.PATH = tmp_path / "search_site.json"
    module.main()
    assert json.loads(module.PATH.read_text("utf-8")) == committed, (
        "tests/vectors/search_site.json is stale: run tests/vectors/make_search_site.py"
    )

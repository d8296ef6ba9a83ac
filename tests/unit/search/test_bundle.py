"""The classic-script engine for pages opened from disk is the modules, joined."""

from __future__ import annotations

from importlib import resources

from zhiku.search.bundle import OUTPUT, classic_script, current


def test_committed_engine_js_is_current() -> None:
    committed = resources.files("zhiku.search").joinpath("assets", OUTPUT).read_text("utf-8")
    assert committed == current(), "run: .venv/bin/python -m zhiku.search.bundle"


def test_imports_are_dropped_and_exports_published() -> None:
    script = classic_script(
        {
            "a.mjs": "export const A = 1;\nexport function f() {}\n",
            "b.mjs": (
                'import {\n  A,\n  f,\n} from "./a.mjs";\nexport class B {}\nconst hidden = A;\n'
            ),
        }
    )
    assert "import" not in script and "export" not in script
    assert "self.zhikuSearch = { A, f, B };" in script

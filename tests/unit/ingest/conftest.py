from __future__ import annotations

from pathlib import Path

import pytest

from zhiku.ingest.cards import Dump, parse_text_dump
from zhiku.ingest.classify import Matcher
from zhiku.ingest.rules import Rules, load_rules

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEEDS = FIXTURES / "seeds"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


@pytest.fixture(scope="session")
def matcher(rules: Rules) -> Matcher:
    return Matcher(rules)


@pytest.fixture(scope="session")
def seed_dumps(rules: Rules) -> list[Dump]:
    return [
        parse_text_dump(path.name, path.read_text(encoding="utf-8"), rules.chrome_lines)
        for path in sorted(SEEDS.glob("*.txt"))
    ]

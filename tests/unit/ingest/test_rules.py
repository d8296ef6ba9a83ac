from pathlib import Path

import pytest

from zhiku.ingest.classify import Matcher
from zhiku.ingest.rules import RulesError, load_rules


def test_a_site_extends_and_overrides_the_vocabulary_and_taxonomy(tmp_path: Path) -> None:
    (tmp_path / "vocabulary.yml").write_text(
        "max_tags: 2\ntags:\n  量化交易: [量化, 幻方]\n  大模型: []\n", encoding="utf-8"
    )
    (tmp_path / "taxonomy.yml").write_text(
        "categories:\n  Finance: [量化, 幻方, 金融]\n", encoding="utf-8"
    )
    (tmp_path / "ingest.yml").write_text("section_names: [导语]\n", encoding="utf-8")
    rules = load_rules(tmp_path)
    tags = dict(rules.tags)
    assert tags["量化交易"] == ("量化", "幻方") and "大模型" not in tags
    assert "Large Model" in rules.known_categories and "Finance" in rules.known_categories
    assert rules.section_names == ("导语",)
    matcher = Matcher(rules)
    text = "量化巨头幻方发布大模型,幻方的量化团队用大模型做金融预测。"
    assert matcher.tags("幻方的大模型", text) == ("量化交易",)
    assert matcher.category("幻方的大模型", text) == "Finance"


def test_a_broken_rules_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "vocabulary.yml").write_text("tags: [a, b\n", encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'vocabulary.yml'}:")
    (tmp_path / "vocabulary.yml").write_text("tags:\n  x: 3\n", encoding="utf-8")
    with pytest.raises(RulesError, match="must be a list of words"):
        load_rules(tmp_path)

"""jieba's words without loading jieba's dictionary: the SQLite copy gives the same words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiku.text import segment

SAMPLE = "扩散模型的采样过程可以看作求解随机微分方程，score-based model 的关键在于估计分数函数。"


@pytest.fixture(scope="module")
def whole() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@pytest.fixture(scope="module")
def copy(whole: jieba.Tokenizer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("jieba") / "words.sqlite"
    segment._write_copy(path, whole.FREQ, whole.total)
    return path


def stored(copy: Path) -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    words = segment._StoredWords.open(tokenizer, copy)
    assert words is not None
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = words, words.total, True
    return tokenizer


# Han text from common characters, with Latin words, digits and punctuation between.
TEXT = st.lists(
    st.one_of(
        st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), max_size=30),
        st.sampled_from(["模型", "注意力机制", "随机微分方程", "的", "。", "，", " "]),
        st.from_regex(r"[A-Za-z0-9_.-]{1,12}", fullmatch=True),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_copy_segments_as_jieba_does(whole: jieba.Tokenizer, copy: Path, text: str) -> None:
    assert list(stored(copy).cut(text, HMM=False)) == list(whole.cut(text, HMM=False))


def test_a_large_job_loads_the_whole_dictionary_and_the_words_stay_the_same(
    whole: jieba.Tokenizer, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segment, "LOOKUPS_BEFORE_LOADING", 50)
    tokenizer = stored(copy)
    words = list(tokenizer.cut(SAMPLE * 3, HMM=False))
    assert isinstance(tokenizer.FREQ, dict)  # loaded on the way
    assert words == list(whole.cut(SAMPLE * 3, HMM=False))


def test_a_damaged_copy_is_no_copy(tmp_path: Path) -> None:
    damaged = tmp_path / "words.sqlite"
    damaged.write_bytes(b"not a database" * 100)
    assert segment._StoredWords.open(jieba.Tokenizer(), damaged) is None
    assert segment._StoredWords.open(jieba.Tokenizer(), tmp_path / "missing.sqlite") is None


def test_a_fresh_process_segments_a_note_without_loading_jiebas_dictionary(
    tmp_path: Path,
) -> None:
    # The first process on a machine makes the copy; the next ones read words from it.
    code = (
        "import jieba, sys\n"
        "from zhiku.text.segment import default_tokenizer\n"
        "if sys.argv[1] == 'after':\n"
        "    def refuse(self, dictionary=None): raise SystemExit('dictionary loaded')\n"
        "    jieba.Tokenizer.initialize = refuse\n"
        f"print('/'.join(default_tokenizer().cut({SAMPLE!r}, HMM=False)))\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, when],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
        )
        for when in ("first", "after")
    ]
    assert [run.returncode for run in runs] == [0, 0], runs[1].stderr[-2000:]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout.startswith("扩散/模型/的/采样/过程")
    assert list(tmp_path.glob("zhiku-jieba-*.sqlite"))

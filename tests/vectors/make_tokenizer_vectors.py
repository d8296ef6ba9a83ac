"""Refresh the dictionary and t2s sections of tokenizer.json from jieba and OpenCC.

    .venv/bin/python tests/vectors/make_tokenizer_vectors.py          # refresh data only
    .venv/bin/python tests/vectors/make_tokenizer_vectors.py --expect # also rewrite expectations

The cases and their expected query units are reviewed by hand; ``--expect``
recomputes them with the Python tokenizer (check the diff before committing).
The dictionary holds every jieba word found inside a case's Han text, which is
all jieba's DAG ever looks at, so JavaScript segments exactly as jieba does.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from zhiku.search.shards import encode_varints, fnv1a, shard_key
from zhiku.search.tokens import default_stopwords, fold, query_units, runs, t2s_table
from zhiku.text.segment import default_tokenizer

PATH = Path(__file__).with_name("tokenizer.json")


def main() -> None:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    jieba = default_tokenizer()
    table = t2s_table()
    dictionary: dict[str, int] = {}
    t2s: dict[str, str] = {}
    for case in data["cases"]:
        t2s.update({ch: table[ch] for ch in case["input"] if ch in table})
        for kind, run in runs(fold(case["input"], table)):
            if kind != "han":
                continue
            for i in range(len(run)):
                for j in range(i + 1, min(len(run), i + 16) + 1):
                    if jieba.FREQ.get(run[i:j]):
                        dictionary[run[i:j]] = jieba.FREQ[run[i:j]]
    data["log_total"] = math.log(jieba.total)
    data["dictionary"] = dict(sorted(dictionary.items()))
    data["t2s"] = dict(sorted(t2s.items()))
    # Shard hashing and posting encoding must agree too, or the browser fetches the wrong file.
    samples = ["注意力", "transformer", "qwen3vl", "检", "𠀀字"]
    data["hashes"] = {term: [shard_key(term), fnv1a(shard_key(term))] for term in samples}
    values = [0, 1, 31, 32, 1023, 1024, 123456789]
    data["varints"] = {"values": values, "encoded": encode_varints(values)}
    if "--expect" in sys.argv:
        for case in data["cases"]:
            units = query_units(
                case["input"],
                lambda w: jieba.FREQ.get(w) or None,
                data["log_total"],
                table,
                default_stopwords(),
            )
            case["query"] = [[u.whole, *u.parts] for u in units]
    PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

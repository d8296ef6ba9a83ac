"""Write search_site.json: the search index of a dozen notes, for the engine's Node tests.

    PYTHONPATH=plugins .venv/bin/python tests/vectors/make_search_site.py

The notes below are written in the shape of a Chinese ML/algorithms blog's posts
(title, tags, category, a few paragraphs). The index is what ``build_index`` makes of
them, so ``tests/js/search_site.test.mjs`` queries the real format: jieba's cut,
search-mode sub-words, pinyin keys and their parts. ``tests/unit/search/
test_search_site.py`` fails when the committed file is stale.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from zhiku.search.pinyin import reading
from zhiku.search.shards import SearchDoc, analyze, build_index, read_index_file
from zhiku.search.tokens import default_stopwords, t2s_table
from zhiku.text.segment import default_tokenizer

PATH = Path(__file__).with_name("search_site.json")

NOTES = [
    SearchDoc(
        "tidu-jianchadian/",
        "梯度检查点：用计算换显存",
        "训练大模型时显存不够用，梯度的计算需要保存每一层的激活值。梯度检查点的做法是只保存"
        "少数层的输出，反向传播时重新计算其余部分。PyTorch 提供了 checkpoint 函数，"
        "开启梯度检查点之后，显存占用可以降到原来的三分之一，代价是多一次前向计算。",
        ("显存", "训练技巧"),
        "深度学习",
    ),
    SearchDoc(
        "tidu-xiajiang/",
        "梯度下降的几种变体",
        "梯度下降沿负梯度方向更新参数。训练前先做一份检查清单：学习率、批大小、初始化。"
        "每个点都检查一遍，再看损失曲线。动量法和 Adam 都是梯度下降的改进。",
        ("优化",),
        "深度学习",
    ),
    SearchDoc(
        "jihuo-hanshu/",
        "常见的激活函数",
        "神经网络需要非线性的激活函数。ReLU 是最常用的激活函数，Sigmoid 会把输出压到零和一"
        "之间，GELU 在 Transformer 里很常见。选择激活函数时要考虑梯度消失的问题。",
        ("神经网络",),
        "深度学习",
    ),
    SearchDoc(
        "gan-rumen/",
        "生成对抗网络入门",
        "生成对抗网络由生成器和判别器组成，两者相互博弈。生成器学习数据的分布，判别器判断"
        "样本的真假。训练生成对抗网络并不稳定，常见的技巧有谱归一化。",
        ("GAN", "生成模型"),
        "深度学习",
    ),
    SearchDoc(
        "zhuyili-jizhi/",
        "注意力机制详解",
        "注意力机制让模型在处理序列时关注重要的部分。多头注意力把查询、键和值投影到多个"
        "子空间，分别计算注意力再拼接。自注意力是 Transformer 的核心。",
        ("注意力", "Transformer"),
        "自然语言处理",
    ),
    SearchDoc(
        "yuan-xuexi/",
        "元学习：学会学习",
        "元学习研究如何让模型快速适应新任务。元学习的经典方法有 MAML，它学习一个好的初始化。"
        "元学习和迁移学习不同，元学习关注的是学习的过程本身。",
        ("元学习",),
        "机器学习",
    ),
    SearchDoc(
        "shuju-guanli/",
        "数据管理与学习笔记",
        "学习如何管理数据：每个文件都有元数据，记录作者和日期。学习率的设置也写在元数据里。"
        "学习之余整理了一些学习资料，方便以后学习。",
        ("笔记",),
        "工具",
    ),
    SearchDoc(
        "kmp/",
        "KMP 字符串匹配",
        "前缀函数记录每个位置最长的相等真前缀与真后缀。匹配失败时，模式串按前缀函数回退，"
        "文本指针从不后退，所以总复杂度是线性的。",
        ("字符串",),
        "算法",
    ),
    SearchDoc(
        "zifuchuan-suanfa/",
        "字符串算法总结",
        "字符串匹配的常见算法有暴力匹配、KMP、Z 函数和后缀数组。KMP 用前缀函数避免回退，"
        "KMP 的实现很短，KMP 也常考。Z 函数与 KMP 思路相近，后缀数组更通用。",
        ("字符串",),
        "算法",
    ),
    SearchDoc(
        "juanji/",
        "卷积核与感受野",
        "卷积神经网络用卷积核在图像上滑动。卷积核越大，感受野越大；堆叠多层小卷积核也能"
        "得到大的感受野，参数却更少。",
        ("卷积",),
        "计算机视觉",
    ),
    SearchDoc(
        "mubiao-jiance/",
        "目标检测综述",
        "目标检测要同时给出物体的类别和位置。两阶段方法先提候选框，单阶段方法直接回归。"
        "DETR 把目标检测看成集合预测。",
        ("检测",),
        "计算机视觉",
    ),
    SearchDoc(
        "suanfa-biji/",
        "算法笔记（二）",
        "前缀函数\n对每个位置求最长的相等真前缀与真后缀，失配时据此回退。\n"
        "Z 函数\n求每个后缀与整串的最长公共前缀。",
        ("算法",),
        "算法",
        ("前缀函数", "Z 函数"),
    ),
    SearchDoc(
        "tijie/",
        "字符串题解合集",
        "这题用前缀函数。那题也用前缀函数，先求前缀函数再统计。最后一题的前缀函数要倒着求，"
        "再加上哈希。",
        ("题解",),
        "算法",
    ),
    SearchDoc(
        "xian-lvxing/",
        "西安的碑林",
        "在西安住了三天，先去了碑林，又去了城墙。西安的面食很好吃。",
        ("旅行",),
        "生活",
    ),
]


def main() -> None:
    tokenizer = default_tokenizer()
    t2s = t2s_table()
    stopwords = default_stopwords()
    terms = [analyze(doc, tokenizer, t2s, stopwords) for doc in NOTES]
    files = build_index(
        NOTES,
        terms,
        jieba_freq=tokenizer.FREQ,
        log_total=math.log(tokenizer.total),
        stopwords=stopwords,
        t2s={},  # the notes are simplified; the full table would only add bytes
        read_pinyin=reading,
    )
    # The data of each file, as the worker reads it (the manifest is plain JSON).
    data = {
        path: json.loads(text) if path.endswith(".json") else read_index_file(text)
        for path, text in sorted(files.items())
        if path != "search_index.js"  # the manifest again, for Material from disk
    }
    PATH.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

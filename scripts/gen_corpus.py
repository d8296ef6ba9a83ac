"""Generate a deterministic corpus of Chinese technical articles for benchmarks.

    python scripts/gen_corpus.py OUT_DIR --articles N [--min-chars 1500 --max-chars 6000]
                                 [--seed 1] [--layout zhiku|blog] [--force]

``OUT_DIR`` is a docs folder. ``--layout zhiku`` (default) writes ``OUT_DIR/index.md``
(a home page) and one ``OUT_DIR/<slug>.md`` per article with Zhiku's front matter
(title, date, category, tags, sometimes ``date_estimated``), written through the
same ``dump_article`` the ingest uses. ``--layout blog`` writes the same articles
as Material's blog plugin expects them: ``OUT_DIR/blog/posts/<slug>.md`` with
``date`` / ``categories`` / ``tags`` and a ``<!-- more -->`` excerpt separator
after the first paragraph (as blog authors write it, and which keeps the blog's
listings from holding whole posts), plus ``OUT_DIR/index.md`` and
``OUT_DIR/blog/index.md``.

``--reword-from DIR`` (for search relevance among near-duplicates) makes about
half of every paragraph's sentences reworded sentences of the articles in
``DIR`` (the sample site's ``content/``): connectives and verbs swapped for
synonyms, clauses reordered, so that thousands of notes say what the sample
says, with its terms, in other words. Without it the output is unchanged.

Articles have 1,500–6,000 characters (mostly Han, with English terms and
sentences), ``##``/``###`` headings, inline ``\\( \\)`` and display ``\\[ \\]`` /
``$$`` math, and fenced Python code; 8 categories and 62 tags, each article's
text drawn mostly from its own tags' vocabulary, so that related articles are
really related. Article ``i`` depends only on ``--seed``, ``i`` and the knobs: the
corpus for N=200 is the first 200 articles of the corpus for N=3,000.

Knobs, so that figures can be taken on corpora shaped like other people's notes
(every default leaves the corpus byte for byte as before):

- ``--math-density F``: F times the formulas (default 1: about 0.6 inline formulas a
  paragraph, 15 % of blocks display math); ``--math-syntax latex|dollar|mixed``:
  ``\\(…\\)``/``\\[…\\]`` only, ``$…$``/``$$…$$`` only (Hexo, Obsidian), or as before
  (``\\(`` inline, ``\\[`` and ``$$`` display);
- ``--tags-min/--tags-max`` tags an article (default: 1–3 of its category and
  sometimes one more) and ``--tag-vocabulary V`` (default 62; up to 1,200, a long tail:
  the extra tags are drawn Zipf-like, so many are used once or twice, as in real blogs);
- ``--nested-categories``: ``category: [Large Model, 推理加速]`` paths (Hexo's lists);
- ``--more``: a ``<!-- more -->`` excerpt marker after the first paragraph;
- ``--links F``: F relative links a paragraph to a newer article (``note-00007.md``)
  or one of its headings (``note-00007.md#背景``);
- ``--images F``, ``--tables F``, ``--admonitions F``: F of each an article on
  average (images are small PNG files beside the article, ``assets/<slug>/``).

These additions come from a random stream of their own: a variant's article has the
same sentences as the default one, plus what the knobs add.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from zhiku.articles import Article, dump_article

NEWEST = dt.date(2026, 1, 15)

CATEGORIES = (
    "Large Model",
    "Generative Model",
    "Deep Learning",
    "Machine Learning",
    "Reinforcement Learning",
    "Computer Vision",
    "NLP",
    "Python",
)

# tag | home category (index into CATEGORIES) | words that come with the topic
_TAG_TABLE = """
Transformer|0|自注意力,编码器,解码器,多头注意力
注意力机制|0|查询向量,键向量,注意力权重,softmax
LoRA|0|低秩分解,适配器,秩,冻结权重
微调|0|下游任务,指令数据,全参数微调,过拟合
预训练|0|语料,自回归,掩码语言模型,缩放定律
FlashAttention|0|分块计算,共享内存,IO感知,在线softmax
KV Cache|0|键值缓存,解码步,显存占用,分页缓存
推理加速|0|吞吐量,延迟,批处理,投机解码
位置编码|0|绝对位置,相对位置,外推,正弦函数
RoPE|0|旋转矩阵,复数,频率,长上下文
量化|0|INT8,FP8,校准,量化误差
混合精度|0|FP16,BF16,损失缩放,数值溢出
梯度检查点|0|激活值,重计算,显存优化,反向传播
分布式训练|0|数据并行,张量并行,流水线并行,通信开销
扩散模型|1|去噪,前向过程,反向过程,噪声调度
VAE|1|编码器,隐变量,证据下界,KL散度
GAN|1|生成器,判别器,模式崩溃,对抗训练
重参数|1|随机变量,梯度估计,方差,采样
变分推断|1|后验分布,近似分布,证据下界,KL散度
流模型|1|可逆变换,雅可比行列式,对数似然,耦合层
采样|1|蒙特卡洛,温度,拒绝采样,重要性采样
卷积网络|2|卷积核,感受野,池化,特征图
循环网络|2|隐藏状态,时间步,梯度消失,序列建模
LSTM|2|遗忘门,输入门,细胞状态,长期依赖
归一化|2|批归一化,均值,方差,内部协变量偏移
LayerNorm|2|层归一化,RMSNorm,缩放参数,残差连接
优化器|2|动量,自适应学习率,权重衰减,鞍点
Adam|2|一阶矩,二阶矩,偏差修正,AdamW
学习率|2|预热,余弦退火,衰减策略,步长
损失函数|2|目标函数,梯度,正则项,凸优化
交叉熵|2|对数似然,概率分布,标签平滑,信息量
残差网络|2|跳跃连接,恒等映射,深层网络,梯度流
贝叶斯|3|先验,后验,似然,共轭分布
概率论|3|随机变量,期望,条件概率,大数定律
信息论|3|熵,互信息,KL散度,编码长度
决策树|3|信息增益,基尼系数,剪枝,集成学习
支持向量机|3|间隔,核函数,对偶问题,支持向量
聚类|3|K均值,簇中心,轮廓系数,层次聚类
对比学习|3|正样本,负样本,InfoNCE,温度系数
强化学习|4|策略,价值函数,回报,马尔可夫决策过程
RLHF|4|奖励模型,人类偏好,策略优化,对齐
PPO|4|裁剪目标,优势函数,重要性比率,信赖域
DPO|4|偏好数据,参考模型,隐式奖励,对数比
Q学习|4|Q值,贝尔曼方程,探索,经验回放
智能体|4|工具调用,规划,记忆,环境反馈
ViT|5|图像块,类别标记,位置嵌入,图像分类
目标检测|5|边界框,锚框,非极大值抑制,交并比
图像分割|5|像素分类,掩码,编码解码结构,语义分割
CLIP|5|图文对,零样本,对比损失,文本编码器
多模态|5|视觉编码器,跨模态对齐,图文生成,统一表示
自监督|5|预训练任务,数据增强,表示学习,掩码图像建模
分词|6|词表,子词,BPE,未登录词
词向量|6|Word2Vec,嵌入空间,语义相似度,上下文窗口
检索增强|6|检索器,向量数据库,召回,重排序
提示工程|6|提示模板,少样本,思维链,指令
思维链|6|推理步骤,中间结论,自洽性,多步推理
机器翻译|6|源语言,目标语言,束搜索,BLEU
Python|7|解释器,列表推导式,生成器,装饰器
PyTorch|7|张量,自动求导,计算图,模块
NumPy|7|数组,广播,向量化,切片
并发编程|7|线程,进程,协程,GIL
性能分析|7|剖析器,热点函数,内存占用,基准测试
"""

TAGS: list[tuple[str, int, tuple[str, ...]]] = []
for _line in _TAG_TABLE.strip().splitlines():
    _name, _cat, _words = _line.split("|")
    TAGS.append((_name, int(_cat), tuple(_words.split(","))))

NOUNS = (
    "模型",
    "参数",
    "梯度",
    "数据集",
    "样本",
    "特征",
    "表示",
    "训练过程",
    "推理阶段",
    "显存",
    "计算量",
    "精度",
    "收敛速度",
    "泛化能力",
    "批量大小",
    "权重",
    "序列长度",
    "上下文",
    "隐藏层",
    "矩阵",
    "张量",
    "概率分布",
    "期望",
    "方差",
    "噪声",
    "输出",
    "输入",
    "误差",
    "基线方法",
    "实验结果",
    "超参数",
    "训练成本",
    "硬件",
    "内存带宽",
    "数值稳定性",
)
VERBS = (
    "降低",
    "提升",
    "减少",
    "保存",
    "计算",
    "估计",
    "优化",
    "近似",
    "分解",
    "重构",
    "对齐",
    "压缩",
    "缓存",
    "更新",
    "平衡",
    "约束",
    "加速",
    "稳定",
)
CHANGES = ("下降", "上升", "趋于稳定", "出现波动", "明显改善", "略有退化")
SECTIONS = (
    "背景",
    "问题定义",
    "核心思想",
    "数学推导",
    "实现细节",
    "实验与分析",
    "常见误区",
    "延伸阅读",
)
SUBSECTIONS = (
    "直观理解",
    "形式化描述",
    "一个例子",
    "复杂度分析",
    "工程注意事项",
    "与相关方法的比较",
)
TITLE_PATTERNS = (
    "{a}原理详解",
    "从零理解{a}",
    "{a}与{b}：联系与区别",
    "{a}中的{w}",
    "深入浅出{a}",
    "{a}实践笔记",
    "如何用{b}改进{a}",
    "{a}的{w}与{b}",
    "{a}入门：{w}",
    "再谈{a}",
)
SENTENCES = (
    "在{n1}的过程中，{a}通过{v}{n2}来{v2}{n3}。",
    "与传统方法相比，{a}能够显著{v}{n1}，同时保持{n2}基本不变。",
    "具体来说，我们首先{v}{w}，然后利用{b}{v2}{n2}。",
    "实验表明，当{n1}增大时，{a}的{n2}会明显{c}。",
    "需要注意的是，{a}并不能解决所有问题，尤其是在{n1}较小的情况下。",
    "这也是{a}和{b}经常被放在一起讨论的原因。",
    "从数学上看，{w}可以理解为对{n1}的一种{v}方式。",
    "很多初学者会把{w}和{w2}混为一谈，其实二者关注的是不同的{n1}。",
    "如果只看{n1}，{a}的优势并不明显；但把{n2}也考虑进来，结论就完全不同了。",
    "{w}的引入让{n1}的{v}变得更加可控，这一点在大规模训练中尤为重要。",
    "为了{v}{n1}，{a}在{w}上做了专门的设计。",
    "我们可以用一个简单的例子来说明{w}：假设{n1}固定，只改变{n2}。",
    "换句话说，{a}的关键在于如何{v}{w}与{w2}之间的关系。",
    "在工程实现上，{b}通常与{a}配合使用，以{v}{n1}。",
    "值得一提的是，{w2}最初并不是为{a}设计的，而是来自{b}的研究。",
)
ENGLISH = (
    "In practice, {a} trades a little extra computation for a large saving in memory.",
    "The key observation is that {w} can be computed on the fly instead of being stored.",
    "As the original paper puts it, {a} is simple to implement and hard to beat.",
    "Note that {b} and {a} are complementary rather than competing techniques.",
)
INLINE_MATH = (
    r"\(W = W_0 + BA\)",
    r"\(\mathbb{E}_{x\sim p}[f(x)]\)",
    r"\(\alpha_t = \prod_{s=1}^{t}(1-\beta_s)\)",
    r"\(\mathrm{softmax}(QK^\top/\sqrt{d})V\)",
    r"\(O(n^2 d)\)",
    r"\(\theta_{t+1} = \theta_t - \eta \nabla_\theta L\)",
    r"\(D_{\mathrm{KL}}(q\,\|\,p)\)",
    r"\(\boldsymbol{x} \in \mathbb{R}^{d}\)",
)
DISPLAY_MATH = (
    r"L_{\theta}=\mathbb{E}_{z\sim p_{\theta}(z)}[f(z)]\tag{1}",
    r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",
    r"\log p(x) \ge \mathbb{E}_{q(z|x)}[\log p(x|z)] - D_{\mathrm{KL}}(q(z|x)\,\|\,p(z))",
    r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2",
    r"x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon,\ "
    r"\epsilon\sim\mathcal{N}(0, I)",
    r"\text{损失} = -\sum_{i} y_i \log \hat{y}_i",
)
CODE = (
    "import torch\n\n\ndef {fn}(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:\n"
    "    # {comment}\n    return torch.softmax(x @ w.T / w.shape[-1] ** 0.5, dim=-1)\n",
    "import numpy as np\n\nrng = np.random.default_rng({n})\nx = rng.normal(size=({n}, 64))\n"
    "# {comment}\nprint(x.mean(axis=0)[:4], x.std())\n",
    "def {fn}(items):\n    # {comment}\n    seen = {{}}\n    for item in items:\n"
    "        seen[item] = seen.get(item, 0) + 1\n"
    "    return sorted(seen.items(), key=lambda kv: -kv[1])\n",
    "from torch.utils.checkpoint import checkpoint\n\n\ndef forward(self, x):\n"
    "    # {comment}\n    for block in self.blocks:\n"
    "        x = checkpoint(block, x, use_reentrant=False)\n"
    "    return x\n",
)
FUNCTION_NAMES = ("attention", "count_tokens", "step", "sample", "normalize", "project")

# Second level of --nested-categories, per category (Hexo's `categories: [a, b]`).
SUBCATEGORIES = (
    ("架构", "训练", "推理"),
    ("扩散", "变分方法"),
    ("网络结构", "优化"),
    ("统计学习", "概率基础", "无监督"),
    ("策略方法", "对齐"),
    ("检测与分割", "多模态"),
    ("文本表示", "应用"),
    ("语言基础", "工具链", "工程"),
)
# Suffixes that make the long tail of a large tag vocabulary out of the topic words.
TAG_SUFFIXES = ("", "笔记", "实践", "源码", "调参", "论文", "面试", "踩坑", "复现", "综述")
ADMONITIONS = ("note", "tip", "warning", "info", "example")
# A 1×1 PNG: images are files the build copies, not what it draws.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000030101001827d4"
    "e90000000049454e44ae426082"
)


@dataclass(frozen=True, slots=True)
class Profile:
    """The knobs of a corpus (see the module's docstring); the defaults are the corpus
    every figure before 2026-12-07 was taken on."""

    math_density: float = 1.0
    math_syntax: str = "mixed"  # latex | dollar | mixed
    tags_min: int | None = None  # None: 1-3 of the category's tags, sometimes one more
    tags_max: int | None = None
    tag_vocabulary: int = len(_TAG_TABLE.strip().splitlines())
    nested_categories: bool = False
    more: bool = False
    links: float = 0.0
    images: float = 0.0
    tables: float = 0.0
    admonitions: float = 0.0


def tag_vocabulary(size: int) -> list[tuple[str, int, tuple[str, ...]]]:
    """The first ``size`` tags: the 62 topic tags, then topic words with suffixes
    (``自注意力``, ``自注意力笔记``…), each with its topic's category and words."""
    found = list(TAGS)
    names = {t[0] for t in found}
    for suffix in TAG_SUFFIXES:
        for _, category, words in TAGS:
            for word in words:
                if len(found) >= size:
                    return found
                name = word + suffix
                if name not in names:
                    names.add(name)
                    found.append((name, category, words))
    return found


# Synonym swaps for rewording a source sentence (each applied with probability 1/2).
REWORDS = (
    ("因此", "所以"),
    ("可以", "能够"),
    ("通过", "借助"),
    ("使用", "采用"),
    ("我们", "笔者"),
    ("非常", "十分"),
    ("但是", "不过"),
    ("如果", "假如"),
    ("主要", "首要"),
    ("提出", "给出"),
    ("方法", "做法"),
    ("问题", "难题"),
    ("需要", "得"),
    ("进行", "开展"),
    ("其中", "这当中"),
)
_SENTENCE_END = re.compile(r"(?<=[。！？])")


def source_sentences(folder: Path) -> tuple[list[str], list[tuple[str, int, tuple[str, ...]]]]:
    """Sentences (10 to 160 characters) of the articles in ``folder``, for rewording, and
    the generator's tags that are none of theirs and in none of their titles.

    Reworded notes take their titles and tags from those tags only: they say what the
    sample says in their bodies, but are not about a sample article's own topic, so a
    judged query's relevant articles stay the sample's.
    """
    from zhiku.articles import parse_article
    from zhiku.text.excerpt import plain_text

    found = []
    names: set[str] = set()
    titles = []
    for path in sorted(folder.glob("*.md")):
        article = parse_article(path.name, path.read_text(encoding="utf-8"))
        if article is None:
            continue
        names.update(article.tags)
        titles.append(article.title.lower())
        text = plain_text(article.body)
        found += [s.strip() for s in _SENTENCE_END.split(text) if 10 <= len(s.strip()) <= 160]
    joined = " ".join(titles)
    pool = [t for t in TAGS if t[0] not in names and t[0].lower() not in joined]
    return found, pool


def reword(rng: random.Random, sentence: str) -> str:
    """A near-duplicate of ``sentence``: synonyms swapped, clauses sometimes reordered."""
    for old, new in REWORDS:
        if old in sentence and rng.random() < 0.5:
            sentence = sentence.replace(old, new)
    clauses = re.split("[，,]", sentence.rstrip("。！？"))
    if len(clauses) > 2 and rng.random() < 0.4:
        i = rng.randrange(len(clauses) - 1)
        clauses[i], clauses[i + 1] = clauses[i + 1], clauses[i]
    return "，".join(clauses) + "。"


class _Writer:
    """Text for one article, drawn from its own random stream."""

    def __init__(
        self,
        rng: random.Random,
        tags: list[tuple[str, int, tuple[str, ...]]],
        sources: list[str] | None = None,
        profile: Profile = Profile(),
    ) -> None:
        self.rng = rng
        self.tags = tags
        self.words = [w for _, _, ws in tags for w in ws]
        self.sources = sources
        self.profile = profile
        density = profile.math_density
        # Block kinds by one roll: display math, code, a subheading, else a paragraph.
        self.rolls = (
            (0.15, 0.25, 0.32)
            if density == 1
            else (
                min(0.6, 0.15 * density),
                min(0.6, 0.15 * density) + 0.10,
                min(0.6, 0.15 * density) + 0.17,
            )
        )

    def inline_math(self) -> str:
        formula = self.rng.choice(INLINE_MATH)
        if self.profile.math_syntax == "dollar":
            return "$" + formula[2:-2] + "$"
        return formula

    def sentence(self) -> str:
        rng = self.rng
        if self.sources and rng.random() < 0.5:
            return reword(rng, rng.choice(self.sources))
        a = rng.choice(self.tags)[0]
        b = rng.choice([t[0] for t in self.tags if t[0] != a] or [rng.choice(TAGS)[0]])
        fields = {
            "a": a,
            "b": b,
            "w": rng.choice(self.words),
            "w2": rng.choice(self.words),
            "n1": rng.choice(NOUNS),
            "n2": rng.choice(NOUNS),
            "n3": rng.choice(NOUNS),
            "v": rng.choice(VERBS),
            "v2": rng.choice(VERBS),
            "c": rng.choice(CHANGES),
        }
        if rng.random() < 0.06:
            return " " + rng.choice(ENGLISH).format(**fields) + " "
        text = rng.choice(SENTENCES).format(**fields)
        # 0.12 formulas a sentence by default; with a dense profile, sometimes several.
        rate = 0.12 * self.profile.math_density
        count = int(rate) + (rng.random() < rate - int(rate))
        if count:
            formulas = "，以及 ".join(self.inline_math() for _ in range(count))
            text = text[:-1] + "，记作 " + formulas + "。"
        return text

    def paragraph(self) -> str:
        return "".join(self.sentence() for _ in range(self.rng.randint(3, 7))).strip()

    def code(self) -> str:
        rng = self.rng
        snippet = rng.choice(CODE).format(
            fn=rng.choice(FUNCTION_NAMES),
            n=rng.randint(2, 512),
            comment=f"{rng.choice(VERBS)}{rng.choice(NOUNS)}",
        )
        return f"```python\n{snippet}```"

    def display_math(self) -> str:
        formula = self.rng.choice(DISPLAY_MATH)
        latex = self.rng.random() < 0.5
        syntax = self.profile.math_syntax
        if syntax == "latex" or (syntax == "mixed" and latex):
            return f"\\[\n{formula}\n\\]"
        return f"$$\n{formula}\n$$"

    def table(self) -> str:
        rng = self.rng
        rows = ["| 方法 | 显存 | 吞吐量 | 备注 |", "|---|---:|---:|---|"]
        for _ in range(rng.randint(2, 5)):
            rows.append(
                f"| {rng.choice(self.tags)[0]} | {rng.randint(4, 80)}.{rng.randint(0, 9)} GB "
                f"| {rng.randint(1, 9)}.{rng.randint(0, 9)}× | {rng.choice(self.words)} |"
            )
        return "\n".join(rows)

    def admonition(self) -> str:
        kind = self.rng.choice(ADMONITIONS)
        text = self.paragraph()
        return f'!!! {kind} "{self.rng.choice(self.words)}"\n\n    {text}'

    def block(self) -> str:
        roll = self.rng.random()
        display, code, heading = self.rolls
        if roll < display:
            return self.display_math()
        if roll < code:
            return self.code()
        if roll < heading:
            return f"### {self.rng.choice(SUBSECTIONS)}"
        return self.paragraph()

    def body(self, low: int, high: int) -> list[str]:
        """Blocks of Markdown, between ``low`` and ``high`` characters in all."""
        rng = self.rng
        target = rng.randint(low, high)
        blocks = [self.paragraph()]
        size = len(blocks[0])
        sections = rng.sample(SECTIONS, k=len(SECTIONS))
        while size < target:
            heading = f"## {sections[0]}" if sections else f"### {rng.choice(SUBSECTIONS)}"
            sections = sections[1:]
            blocks.append(heading)
            size += len(heading) + 2
            for _ in range(rng.randint(2, 4)):
                block = self.block()
                # A block that would overshoot is replaced by a shorter one, so that every
                # article stays within the requested size range.
                while size + len(block) + 2 > high:
                    block = self.sentence().strip()
                    if size + len(block) + 2 > high:
                        break
                if size + len(block) + 2 > high:
                    size = target
                    break
                blocks.append(block)
                size += len(block) + 2
                if size >= target:
                    break
        while blocks[-1].startswith("#"):
            blocks.pop()
        return blocks


def make_article(
    seed: int,
    index: int,
    min_chars: int,
    max_chars: int,
    sources: tuple[list[str], list[tuple[str, int, tuple[str, ...]]]] | None = None,
    profile: Profile = Profile(),
    known: dict[int, tuple[str, list[str]]] | None = None,
) -> tuple[Article, str]:
    """Article ``index`` (0 = newest) and its body's first paragraph, for the blog excerpt.

    ``sources``: sentences to reword into about half of the text and the tags to draw
    titles and tags from (see ``--reword-from`` and :func:`source_sentences`).
    ``known``: title and ``##`` headings of newer articles (index → …), which links
    point to; filled in as articles are made (a missing one is made again).
    """
    rng = random.Random(f"zhiku-corpus:{seed}:{index}")
    tags = sources[1] if sources else TAGS
    category = rng.randrange(len(CATEGORIES))
    home = [t for t in tags if t[1] == category] or tags
    chosen = rng.sample(home, k=min(len(home), rng.randint(1, 3)))
    if rng.random() < 0.6:
        extra = rng.choice(tags)
        if extra not in chosen:
            chosen.append(extra)
    writer = _Writer(rng, chosen, sources[0] if sources else None, profile)
    main = chosen[0]
    title = rng.choice(TITLE_PATTERNS).format(
        a=main[0],
        b=rng.choice(chosen)[0] if len(chosen) > 1 else rng.choice(tags)[0],
        w=rng.choice(main[2]),
    )
    blocks = writer.body(min_chars, max_chars)
    # About one article in fifteen has no date of its own in the scrape and was placed by ingest.
    date = NEWEST - dt.timedelta(days=index * 2 // 3 + rng.randint(0, 1))
    estimated = rng.random() < 1 / 15
    # What the knobs add comes from a stream of its own: the text above stays the same.
    more = random.Random(f"zhiku-corpus:{seed}:{index}:knobs")
    names = tuple(t[0] for t in chosen)
    if (
        profile.tags_min is not None
        or profile.tags_max is not None
        or (profile.tag_vocabulary != len(TAGS))
    ):
        names = _more_tags(more, names, profile)
    category_name = CATEGORIES[category]
    if profile.nested_categories:
        category_name += "/" + more.choice(SUBCATEGORIES[category])
    full = f"{title}（{index + 1}）"
    if known is not None:
        known[index] = (full, [b[3:] for b in blocks if b.startswith("## ")])
    blocks = _with_extras(
        more,
        blocks,
        _Writer(more, chosen, None, profile),
        profile,
        seed,
        index,
        min_chars,
        max_chars,
        known,
    )
    article = Article(
        path=f"note-{index + 1:05d}.md",
        title=full,
        date=date,
        body="\n\n".join(blocks) + "\n",
        category=category_name,
        tags=names,
        date_estimated=estimated,
    )
    return article, blocks[0]


def _count(rng: random.Random, rate: float) -> int:
    """``rate`` on average: its whole part, and one more with the fraction's chance."""
    return int(rate) + (rng.random() < rate - int(rate))


_ZIPF: dict[int, list[float]] = {}


def _more_tags(rng: random.Random, names: tuple[str, ...], profile: Profile) -> tuple[str, ...]:
    """``tags_min``–``tags_max`` tags: the topic's own first, then tags of the vocabulary
    drawn Zipf-like (a few common, a long tail used once or twice)."""
    vocabulary = tag_vocabulary(profile.tag_vocabulary)
    low = profile.tags_min or 1
    high = max(low, profile.tags_max or 4)
    want = rng.randint(low, high)
    if len(vocabulary) not in _ZIPF:
        total, cumulative = 0.0, []
        for rank in range(len(vocabulary)):
            total += 1 / (rank + 1)
            cumulative.append(total)
        _ZIPF[len(vocabulary)] = cumulative
    found = list(names[:want])
    while len(found) < min(want, len(vocabulary)):
        ((name, _, _),) = rng.choices(vocabulary, cum_weights=_ZIPF[len(vocabulary)])
        if name not in found:
            found.append(name)
    return tuple(found)


def _with_extras(
    rng: random.Random,
    blocks: list[str],
    writer: _Writer,
    profile: Profile,
    seed: int,
    index: int,
    min_chars: int,
    max_chars: int,
    known: dict[int, tuple[str, list[str]]] | None,
) -> list[str]:
    """``blocks`` with the knobs' links, tables, admonitions, images and excerpt marker."""
    blocks = list(blocks)
    if profile.links and index > 0:
        for at, block in enumerate(blocks):
            if block.startswith(("#", "```", "\\[", "$$")):
                continue
            for _ in range(_count(rng, profile.links)):
                target = rng.randrange(index)
                if known is None or target not in known:
                    known = {} if known is None else known
                    make_article(seed, target, min_chars, max_chars, None, Profile(), known)
                title, headings = known[target]
                href = f"note-{target + 1:05d}.md"
                if headings and rng.random() < 0.5:
                    href += "#" + rng.choice(headings).lower()
                blocks[at] += f"详见[{title}]({href})。"
    added = [writer.table() for _ in range(_count(rng, profile.tables))]
    added += [writer.admonition() for _ in range(_count(rng, profile.admonitions))]
    slug = f"note-{index + 1:05d}"
    added += [
        f"![图 {n}：{rng.choice(writer.words)}](assets/{slug}/fig-{n}.png)"
        for n in range(1, _count(rng, profile.images) + 1)
    ]
    for block in added:
        blocks.insert(rng.randint(1, len(blocks)), block)
    if profile.more:
        blocks.insert(1, "<!-- more -->")
    return blocks


def blog_post(article: Article) -> str:
    """The same article as Material's blog plugin reads it."""
    meta = {
        "title": article.title,
        "date": article.date,
        # A nested category is a list of names for the blog, as Hexo writes it.
        "categories": list(article.category_path),
        "tags": list(article.tags),
    }
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    if "<!-- more -->" in article.body:
        return f"---\n{head}---\n\n# {article.title}\n\n{article.body}"
    first, _, rest = article.body.partition("\n\n")
    return f"---\n{head}---\n\n# {article.title}\n\n{first}\n\n<!-- more -->\n\n{rest}"


HOME = "---\ntitle: 知库\n---\n\n# 知库\n\n基准测试用的生成语料：{n} 篇中文技术笔记。\n"


def write_corpus(
    out: Path,
    articles: int,
    min_chars: int,
    max_chars: int,
    seed: int,
    layout: str,
    reword_from: Path | None = None,
    profile: Profile = Profile(),
) -> int:
    """Write the corpus under ``out``; returns the number of characters written."""
    sources = source_sentences(reword_from) if reword_from else None
    total = 0
    posts = out / "blog" / "posts" if layout == "blog" else out
    posts.mkdir(parents=True, exist_ok=True)
    (out / "index.md").write_text(HOME.format(n=articles), encoding="utf-8")
    if layout == "blog":
        (out / "blog" / "index.md").write_text("# 博客\n", encoding="utf-8")
    known: dict[int, tuple[str, list[str]]] = {}
    for index in range(articles):
        article, _ = make_article(seed, index, min_chars, max_chars, sources, profile, known)
        text = blog_post(article) if layout == "blog" else dump_article(article)
        (posts / article.path).write_text(text, encoding="utf-8")
        for image in re.findall(r"\]\((assets/[^)]+\.png)\)", article.body):
            (posts / image).parent.mkdir(parents=True, exist_ok=True)
            (posts / image).write_bytes(PNG)
        total += len(article.body)
    return total


def add_profile_arguments(parser: argparse.ArgumentParser) -> None:
    """The knobs of :class:`Profile` as options (shared with bench_build.py)."""
    knobs = parser.add_argument_group("knobs (defaults: the corpus of earlier figures)")
    knobs.add_argument("--math-density", type=float, default=1.0, help="times the formulas")
    knobs.add_argument("--math-syntax", choices=("latex", "dollar", "mixed"), default="mixed")
    knobs.add_argument("--tags-min", type=int, help="tags an article, at least")
    knobs.add_argument("--tags-max", type=int, help="tags an article, at most")
    knobs.add_argument(
        "--tag-vocabulary", type=int, default=len(TAGS), help="tags in all (62 to 1,200)"
    )
    knobs.add_argument("--nested-categories", action="store_true")
    knobs.add_argument("--more", action="store_true", help="a <!-- more --> excerpt marker")
    knobs.add_argument("--links", type=float, default=0.0, help="links a paragraph")
    knobs.add_argument("--images", type=float, default=0.0, help="images an article")
    knobs.add_argument("--tables", type=float, default=0.0, help="tables an article")
    knobs.add_argument("--admonitions", type=float, default=0.0, help="admonitions an article")


def profile_from(args: argparse.Namespace) -> Profile:
    return Profile(
        math_density=args.math_density,
        math_syntax=args.math_syntax,
        tags_min=args.tags_min,
        tags_max=args.tags_max,
        tag_vocabulary=args.tag_vocabulary,
        nested_categories=args.nested_categories,
        more=args.more,
        links=args.links,
        images=args.images,
        tables=args.tables,
        admonitions=args.admonitions,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="docs folder to write into")
    parser.add_argument("--articles", type=int, required=True, help="number of articles")
    parser.add_argument("--min-chars", type=int, default=1500)
    parser.add_argument("--max-chars", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layout", choices=("zhiku", "blog"), default="zhiku")
    parser.add_argument(
        "--force", action="store_true", help="write into OUT even if it already holds files"
    )
    parser.add_argument(
        "--reword-from",
        type=Path,
        help="word half the sentences as near-duplicates of these articles' (e.g. content/)",
    )
    add_profile_arguments(parser)
    args = parser.parse_args(argv)
    if args.articles < 1 or not 200 <= args.min_chars <= args.max_chars:
        parser.error("need --articles >= 1 and 200 <= --min-chars <= --max-chars")
    if not len(TAGS) <= args.tag_vocabulary <= len(tag_vocabulary(10**6)):
        parser.error(f"--tag-vocabulary runs from {len(TAGS)} to {len(tag_vocabulary(10**6))}")
    if args.out.exists() and any(args.out.iterdir()) and not args.force:
        parser.error(f"{args.out} is not empty; pass --force to write into it anyway")
    total = write_corpus(
        args.out,
        args.articles,
        args.min_chars,
        args.max_chars,
        args.seed,
        args.layout,
        args.reword_from,
        profile_from(args),
    )
    print(f"{args.articles} articles, {total:,} characters -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Formulas the scrape stripped of their delimiters, found in running prose.

A scraped page often keeps a formula's TeX but loses the ``\\( … \\)`` around it:
``给定训练数据集 D = \\{(x_i, y^_i)\\}_{i=1}^n ,其中…``. :func:`find_tex` finds such
runs so that ingest can typeset the valid ones and mark the broken ones, instead of
showing TeX source to readers.

A run is a stretch of space-separated "math-looking" tokens (ASCII symbols, one- or
two-letter variables, function names, backslash commands) that holds at least one
unmistakable sign of TeX: a backslash command, a braced script (``_{…}``, ``^{…}``) or
a script on a one- or two-letter base (``x_i``, ``z_m``, ``n^2``). Han characters and
Chinese punctuation always end a run. Identifiers (``use_rmpad``, ``batch_size``,
``ob_ref``), file paths and URLs are not math: their letter runs are words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhiku.text.chars import HAN


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\S+", text))


# Characters a bare formula is made of (no Han, no Chinese punctuation, no "$" or "&").
_MATHY = re.compile(r"[A-Za-z0-9\\_^{}()\[\]=+\-*/,.|<>'!:;~]+")
# Letter runs a formula may hold outside braces besides one- or two-letter variables.
_FUNCTIONS = _words("max min log exp sin cos tan lim sup inf det dim arg mod softmax argmax argmin")
# Two-letter English words, which would otherwise pass for variables.
_ENGLISH = _words("is in of to be as at by or an if it we on so no do up my he me us am")
# Tokens: Han characters and Chinese punctuation separate them as spaces do.
_TOKEN = re.compile(rf"[^\s\u3000-\u303f{HAN}\uff00-\uffef]+")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
# KaTeX commands a scraped formula commonly holds; anything else is not trusted as TeX.
# KaTeX commands a scraped formula commonly holds, by the number of arguments they take;
# anything else is not trusted as TeX.
_SYMBOLS = _words(
    """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu
    nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega
    Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega infty partial nabla ell hbar
    prime top intercal dagger emptyset varnothing Re Im
    """
)
_OPERATORS = _words(
    """
    sum prod int iint oint lim limits nolimits cdot cdots ldots dots vdots ddots times div
    pm mp circ bullet star ast oplus otimes odot le leq ge geq ne neq lt gt approx sim simeq
    cong equiv propto ll gg in notin ni subset subseteq supset supseteq cup cap setminus
    forall exists nexists neg land lor wedge vee to gets mapsto rightarrow leftarrow
    Rightarrow Leftarrow leftrightarrow Leftrightarrow implies iff log ln exp sin cos tan max
    min arg sup inf det dim mod bmod quad qquad mid parallel perp lVert rVert lvert rvert
    Vert vert langle rangle lceil rceil lfloor rfloor
    """
)
_ONE_ARGUMENT = _words(
    """
    sqrt mathbb mathbf mathcal mathrm mathit mathsf mathtt mathfrak boldsymbol bm text
    textbf textit operatorname hat bar tilde vec dot ddot widehat widetilde overline
    underline overbrace underbrace pmod
    """
)
_TWO_ARGUMENTS = _words("frac dfrac tfrac binom")
KNOWN_COMMANDS = _SYMBOLS | _OPERATORS | _ONE_ARGUMENT | _TWO_ARGUMENTS | {"left", "right"}
_DELIMITERS = _words(r"( ) [ ] | . \{ \} \| \langle \rangle \lvert \rvert \lVert \rVert")
# Signs that a token is TeX, not an identifier: a command, a braced script, an escaped
# brace, or a script on a base of at most two letters (or a number, for a power) whose
# argument is not the start of a word ("x_i", "z_m)", "n^2", but not "ob_ref").
_SIGN = re.compile(
    r"\\(?:[A-Za-z]+|[{}])"
    r"|[_^]\{"
    r"|(?<![A-Za-z0-9])[A-Za-z]{1,2}'?[_^](?:[A-Za-z](?![A-Za-z]{2})|[0-9])"
    r"|(?<![A-Za-z])[0-9]+\^[0-9A-Za-z]"
    r"|[A-Za-z0-9)}\]][_^](?=[_^]|\s|$)"
)
_EDGE_PUNCTUATION = ",.;:!"


@dataclass(frozen=True, slots=True)
class TexRun:
    """A bare formula in prose: ``text[start:end]``, and whether KaTeX can typeset it."""

    start: int
    end: int
    valid: bool


def _is_mathy(token: str) -> bool:
    if not _MATHY.fullmatch(token) or "://" in token or token.startswith("www."):
        return False
    if re.match(r"[A-Za-z]:\\|\\\\|\.{1,2}/", token) or re.search(r"\w\.[a-z]{1,4}\Z", token):
        return False  # a path or a file name: C:\Users\x_1, ./a_b, a/b_c.py
    if token.lower() in _ENGLISH:
        return False  # "L_i is computed": a word, not a variable
    outside = _COMMAND.sub("", _without_groups(token))
    return all(
        len(run) <= 2 or run.lower() in _FUNCTIONS for run in re.findall(r"[A-Za-z]+", outside)
    )


def _without_groups(token: str) -> str:
    """``token`` with the contents of its brace groups dropped (``\\text{max}`` -> ``\\text{}``)."""
    previous = None
    while previous != token:
        previous = token
        token = re.sub(r"(?<!\\)\{[^{}]*\}", "{}", token)
    return token


def find_tex(text: str, *, cut_at_end: bool = False) -> list[TexRun]:
    """The bare formulas in ``text``, in order.

    ``cut_at_end``: the text is an excerpt the site cut short, so a run that reaches
    its end was cut mid-formula and is not valid.
    """
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    runs: list[TexRun] = []
    index = 0
    while index < len(tokens):
        if not _is_mathy(text[tokens[index][0] : tokens[index][1]]):
            index += 1
            continue
        first = index
        while (
            index + 1 < len(tokens)
            and not text[tokens[index][1] : tokens[index + 1][0]].strip()
            and _is_mathy(text[tokens[index + 1][0] : tokens[index + 1][1]])
        ):
            index += 1
        start, end = tokens[first][0], tokens[index][1]
        index += 1
        if cut_at_end and not text[end:].strip():
            # The excerpt ends inside this formula: what is left cannot be trusted.
            run = _run(text, start, end, keep_brackets=True)
            if run is not None:
                runs.append(TexRun(*run, valid=False))
            continue
        run = _run(text, start, end)
        if run is not None:
            runs.append(TexRun(*run, valid=is_valid_tex(text[run[0] : run[1]])))
    return runs


def _run(text: str, start: int, end: int, *, keep_brackets: bool = False) -> tuple[int, int] | None:
    """The formula inside ``text[start:end]`` without edge punctuation, if it has a sign."""
    while start < end and text[start] in _EDGE_PUNCTUATION + " )]":
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCTUATION + " ([":
        end -= 1
    open_at = None if keep_brackets else _unclosed_paren(text[start:end])
    if open_at is not None:  # "x_nw_n T ( T 为一个阈值)": the bracket belongs to the prose
        end = start + open_at
        while end > start and text[end - 1] in _EDGE_PUNCTUATION + " ([":
            end -= 1
    body = text[start:end]
    if not body or not _SIGN.search(body):
        return None
    if re.search(r"\\[(\[]|\$\$", body):
        return None  # a formula cut after its opening delimiter: the page's script shows it
    return start, end


def _unclosed_paren(run: str) -> int | None:
    """Offset of the first "(" in ``run`` that is never closed, if any."""
    stack: list[int] = []
    for index, char in enumerate(run):
        if char == "(" and run[index - 1 : index] != "\\":
            stack.append(index)
        elif char == ")" and stack and run[index - 1 : index] != "\\":
            stack.pop()
    return stack[0] if stack else None


def typeset(tex: str) -> str:
    """``tex`` as KaTeX should read it: a multi-character subscript is one ("N_RF" -> N_{RF})."""
    return re.sub(r"(?<=[A-Za-z])_([A-Z0-9]{2,})(?![A-Za-z0-9_^{])", r"_{\1}", tex)


def is_valid_tex(tex: str) -> bool:
    """True when KaTeX can typeset ``tex`` as inline math, as far as a scrape can tell.

    Rejected: unbalanced braces or ``\\left``/``\\right``, a script with no argument
    or a double script (``y^_i``, ``x_i_j``), a command without its arguments or
    unknown, and anything holding a math delimiter of its own.
    """
    if re.search(r"\\[()\[\]]|\$|\\begin|\\end", tex):
        return False
    try:
        end = _Parser(tex).expression(0, closing=None)
    except _Invalid:
        return False
    return end == len(tex)


class _Invalid(Exception):
    pass


class _Parser:
    """Just enough of KaTeX's grammar to tell a whole formula from a broken one."""

    def __init__(self, tex: str) -> None:
        self.tex = tex

    def _skip(self, index: int) -> int:
        while index < len(self.tex) and self.tex[index] == " ":
            index += 1
        return index

    def expression(self, index: int, closing: str | None) -> int:
        """Atoms with their scripts up to ``closing`` ("}" or "\\right"); index after it."""
        tex = self.tex
        while True:
            index = self._skip(index)
            if index >= len(tex):
                if closing is not None:
                    raise _Invalid
                return index
            if closing == "}" and tex[index] == "}":
                return index + 1
            if closing == "right" and re.match(r"\\right(?![A-Za-z])", tex[index:]):
                return self._delimiter(index + len("\\right"))
            if tex[index] in "_^'":
                index = self.atom(index, base=False)  # scripts with no base: allowed
                continue
            index = self.atom(index, base=True)

    def atom(self, index: int, *, base: bool) -> int:
        """One atom and the scripts on it."""
        tex = self.tex
        if base:
            index = self._nucleus(index)
        used: set[str] = set()
        while True:
            after = self._skip(index)
            if after < len(tex) and tex[after] == "'":
                if used & {"'", "^"}:
                    raise _Invalid  # primes are a superscript: "x^2'" has two
                used.add("'")
                index = after
                while index < len(tex) and tex[index] == "'":
                    index += 1
                continue
            if after >= len(tex) or tex[after] not in "_^":
                return index
            if tex[after] in used:
                raise _Invalid  # a double script: "y^_i" once lost its "*"
            used.add(tex[after])
            index = self.argument(self._skip(after + 1))

    def _nucleus(self, index: int) -> int:
        tex = self.tex
        char = tex[index]
        if char == "{":
            return self.expression(index + 1, closing="}")
        if char == "}":
            raise _Invalid
        if char == "\\":
            match = re.match(r"\\([A-Za-z]+|.)", tex[index:])
            if not match:
                raise _Invalid
            name, end = match.group(1), index + match.end()
            if not name.isalpha():
                return end  # \{ \} \, \! …
            if name == "left":
                return self.expression(self._delimiter(end), closing="right")
            if name == "right" or name not in KNOWN_COMMANDS:
                raise _Invalid
            for _ in range(2 if name in _TWO_ARGUMENTS else 1 if name in _ONE_ARGUMENT else 0):
                end = self.argument(self._skip(end))
            return end
        return index + 1

    def argument(self, index: int) -> int:
        """A command's or a script's argument: a group, a symbol, one character."""
        tex = self.tex
        if index >= len(tex):
            raise _Invalid
        char = tex[index]
        if char == "{":
            return self.expression(index + 1, closing="}")
        if char == "\\":
            match = re.match(r"\\([A-Za-z]+)", tex[index:])
            if match and match.group(1) in _SYMBOLS:
                return index + match.end()
            raise _Invalid
        if char.isalnum() or char in "+-*=<>|":
            return index + 1
        raise _Invalid  # "y^_i", "x^)", "x_'": a script with nothing to hold

    def _delimiter(self, index: int) -> int:
        index = self._skip(index)
        for delimiter in sorted(_DELIMITERS, key=len, reverse=True):
            if self.tex.startswith(delimiter, index):
                if delimiter[1:].isalpha() and self.tex[index + len(delimiter) :][:1].isalpha():
                    continue
                return index + len(delimiter)
        raise _Invalid

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

# Characters a bare formula is made of (no Han, no Chinese punctuation, no "$" or "&").
_MATHY = re.compile(r"[A-Za-z0-9\\_^{}()\[\]=+\-*/,.|<>'!:;~]+")
# Letter runs a formula may hold outside braces besides one- or two-letter variables.
_FUNCTIONS = frozenset(
    [
        "max",
        "min",
        "log",
        "exp",
        "sin",
        "cos",
        "tan",
        "lim",
        "sup",
        "inf",
        "det",
        "dim",
        "arg",
        "mod",
        "softmax",
        "argmax",
        "argmin",
    ]
)
# Two-letter English words, which would otherwise pass for variables.
_ENGLISH = frozenset(
    [
        "is",
        "in",
        "of",
        "to",
        "be",
        "as",
        "at",
        "by",
        "or",
        "an",
        "if",
        "it",
        "we",
        "on",
        "so",
        "no",
        "do",
        "up",
        "my",
        "he",
        "me",
        "us",
        "am",
    ]
)
# Tokens: Han characters and Chinese punctuation separate them as spaces do.
_TOKEN = re.compile(r"[^\s\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
# KaTeX commands a scraped formula commonly holds; anything else is not trusted as TeX.
KNOWN_COMMANDS = frozenset(
    [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "varepsilon",
        "zeta",
        "eta",
        "theta",
        "vartheta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "omicron",
        "pi",
        "varpi",
        "rho",
        "varrho",
        "sigma",
        "varsigma",
        "tau",
        "upsilon",
        "phi",
        "varphi",
        "chi",
        "psi",
        "omega",
        "Gamma",
        "Delta",
        "Theta",
        "Lambda",
        "Xi",
        "Pi",
        "Sigma",
        "Upsilon",
        "Phi",
        "Psi",
        "Omega",
        "frac",
        "dfrac",
        "tfrac",
        "sqrt",
        "sum",
        "prod",
        "int",
        "iint",
        "oint",
        "lim",
        "limits",
        "nolimits",
        "left",
        "right",
        "big",
        "Big",
        "bigg",
        "Bigg",
        "middle",
        "cdot",
        "cdots",
        "ldots",
        "dots",
        "vdots",
        "ddots",
        "times",
        "div",
        "pm",
        "mp",
        "circ",
        "bullet",
        "star",
        "ast",
        "oplus",
        "otimes",
        "odot",
        "le",
        "leq",
        "ge",
        "geq",
        "ne",
        "neq",
        "lt",
        "gt",
        "approx",
        "sim",
        "simeq",
        "cong",
        "equiv",
        "propto",
        "ll",
        "gg",
        "in",
        "notin",
        "ni",
        "subset",
        "subseteq",
        "supset",
        "supseteq",
        "cup",
        "cap",
        "setminus",
        "emptyset",
        "varnothing",
        "forall",
        "exists",
        "nexists",
        "neg",
        "land",
        "lor",
        "wedge",
        "vee",
        "to",
        "gets",
        "mapsto",
        "rightarrow",
        "leftarrow",
        "Rightarrow",
        "Leftarrow",
        "leftrightarrow",
        "Leftrightarrow",
        "implies",
        "iff",
        "infty",
        "partial",
        "nabla",
        "mathbb",
        "mathbf",
        "mathcal",
        "mathrm",
        "mathit",
        "mathsf",
        "mathtt",
        "mathfrak",
        "boldsymbol",
        "bm",
        "text",
        "textbf",
        "textit",
        "operatorname",
        "hat",
        "bar",
        "tilde",
        "vec",
        "dot",
        "ddot",
        "widehat",
        "widetilde",
        "overline",
        "underline",
        "overbrace",
        "underbrace",
        "log",
        "ln",
        "exp",
        "sin",
        "cos",
        "tan",
        "max",
        "min",
        "arg",
        "argmax",
        "argmin",
        "sup",
        "inf",
        "det",
        "dim",
        "mod",
        "bmod",
        "pmod",
        "lVert",
        "rVert",
        "lvert",
        "rvert",
        "Vert",
        "vert",
        "langle",
        "rangle",
        "lceil",
        "rceil",
        "lfloor",
        "rfloor",
        "quad",
        "qquad",
        "top",
        "intercal",
        "prime",
        "dagger",
        "ell",
        "hbar",
        "Re",
        "Im",
        "mid",
        "parallel",
        "perp",
    ]
)
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
    if re.match(r"[A-Za-z]:\\|\\\\", token):
        return False  # a Windows path: C:\Users\x_1
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
    or a double script (``y^_i``, ``x_i_j``), unknown commands, and anything holding a
    math delimiter of its own.
    """
    if re.search(r"\\[()\[\]]|\$|\\begin|\\end", tex):
        return False
    if any(name not in KNOWN_COMMANDS for name in _COMMAND.findall(tex)):
        return False
    if len(re.findall(r"\\left(?![A-Za-z])", tex)) != len(re.findall(r"\\right(?![A-Za-z])", tex)):
        return False
    return _scripts_and_braces_ok(tex)


def _scripts_and_braces_ok(tex: str) -> bool:
    """Braces balance and every ``_``/``^`` holds one argument, at most one of each per atom."""
    used: list[set[str]] = [set()]  # scripts on the current atom, per open group
    argument: list[bool] = []  # per open group: is it a script's argument?
    pending = False  # a script waits for its argument
    index = 0
    while index < len(tex):
        char = tex[index]
        if char.isspace():
            index += 1
            continue
        if char in "_^":
            if pending or char in used[-1]:
                return False  # a double script: "y^_i" once lost its "*"
            used[-1].add(char)
            pending = True
            index += 1
            continue
        if char == "{":
            argument.append(pending)
            pending = False
            used.append(set())
            index += 1
            continue
        if char == "}":
            if not argument:
                return False
            used.pop()
            if not argument.pop():
                used[-1] = set()  # a plain group is an atom of its own
            index += 1
            continue
        if pending and char in ")]},.;:=+|":
            return False  # a script with nothing to hold
        match = re.match(r"\\(?:[A-Za-z]+|.)", tex[index:]) if char == "\\" else None
        if pending:
            pending = False  # the script's argument: the base keeps its scripts
        else:
            used[-1] = set()
        index += match.end() if match else 1
    return not pending and not argument

"""Docusaurus sites: which folders hold the notes (``docs/``, ``blog/``, a Chinese
translation under ``i18n/``), the URLs the site served them at, and MDX turned into the
Markdown this site reads (imports dropped, ``<Tabs>`` as tabs, other components shown as
text). Pure: the shell reads the files and passes their text."""

from __future__ import annotations

import posixpath
import re
import textwrap
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from zhiku.importers.markup import outside_code

CONFIG_NAMES = tuple(f"docusaurus.config.{ext}" for ext in ("ts", "js", "mjs", "cjs", "mts", "cts"))
SUFFIXES = (".md", ".mdx")
_DATED = re.compile(r"\A(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})-(?P<name>.+)\Z")
_DATED_PATH = re.compile(r"(?:\A|/)(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/(?P<name>[^/]+)\Z")
_NUMBER_PREFIX = re.compile(r"\A\d+[-_.]\s*(?=\S)")
_STRING = r"""['"`](?P<{0}>[^'"`]*)['"`]"""


@dataclass(frozen=True, slots=True)
class Section:
    """A folder of notes the site built: its kind, where it is, the URL path it had."""

    kind: str  # "docs" or "blog"
    folder: str  # relative to the site's root
    route: str  # "/docs", "/blog", "/"


@dataclass(frozen=True, slots=True)
class Place:
    """Where one note sat in the site: its section and its path inside that section."""

    section: Section
    inner: str  # the note's path inside the section's folder


def _block(text: str, start: int) -> str:
    """The ``{…}`` object literal opening at or after ``start`` (braces balanced)."""
    opening = text.find("{", start)
    if opening < 0:
        return ""
    depth = 0
    for i in range(opening, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[opening : i + 1]
    return text[opening:]


def _value(block: str, key: str) -> str | None:
    match = re.search(rf"\b{key}\s*:\s*" + _STRING.format("v"), block)
    return match.group("v") if match else None


def read_config(text: str) -> dict[str, Any]:
    """What a ``docusaurus.config.*`` says that import needs, read from its literal values
    (it is a program; computed values are not followed): the content folders with their
    URL paths, the default locale, the static folders."""
    found: list[tuple[str, str, str, str]] = []  # (kind, plugin id, folder, route)
    for kind in ("docs", "blog"):
        # The classic preset's `docs: {…}` (or `false`); `themeConfig` may have a `docs:`
        # of its own (sidebar settings), so the one that names a folder or route wins.
        blocks: list[str] = []
        off = False
        for preset in re.finditer(rf"(?<![\w.'\"-]){kind}\s*:\s*(?P<v>false|\{{)", text):
            if preset.group("v") == "false":
                off = True
                break
            blocks.append(_block(text, preset.start("v")))
        if off:
            continue
        named = [b for b in blocks if re.search(r"\b(?:path|routeBasePath)\s*:", b)]
        block = (named or blocks or [""])[0]
        route = _value(block, "routeBasePath")
        found.append(
            (kind, "default", _value(block, "path") or kind, kind if route is None else route)
        )
    presets = {f for _, _, f, _ in found}
    # The official plugins and the sites' own wrappers of them (./src/plugin/plugin-content-blog).
    for plugin in re.finditer(r"['\"][^'\"\n]*plugin-content-(docs|blog)['\"]\)?\s*,", text):
        kind = plugin.group(1)
        block = _block(text, plugin.end())
        given = _value(block, "path")
        if given:
            folder = given
            ident = _value(block, "id") or "default"
            route = _value(block, "routeBasePath")
            if folder in presets:  # the preset's own folder, given to a plugin instead
                found = [f for f in found if f[2] != folder]
            found.append((kind, ident, folder, kind if route is None else route))
    locale = re.search(r"\bdefaultLocale\s*:\s*" + _STRING.format("v"), text)
    statics = re.search(r"\bstaticDirectories\s*:\s*\[(?P<v>[^\]]*)\]", text)
    return {
        "sections": found,
        "default_locale": locale.group("v") if locale else "en",
        "static": re.findall(r"['\"]([^'\"]+)['\"]", statics.group("v")) if statics else ["static"],
    }


def _chinese(locale: str) -> bool:
    return locale.lower().startswith("zh")


def _route(route: str) -> str:
    return "/" + route.strip("/") if route.strip("/") else "/"


def places(
    config: Mapping[str, Any], files: Collection[str]
) -> tuple[dict[str, Place], dict[str, str]]:
    """({note path: where it sat}, {Markdown file: why it is not imported}) for the files of
    a Docusaurus site. When the default locale is not Chinese and ``i18n/zh…/`` has a
    translation, the translation of a note is imported in place of the original."""
    site = str(config.get("site") or "")  # the config's folder: "" or "website"
    i18n, pages = posixpath.join(site, "i18n"), posixpath.join(site, "src", "pages")
    sections: list[tuple[Section, str]] = []
    for kind, ident, folder, route in config.get("sections", []):
        folder = posixpath.normpath(posixpath.join(site, folder.lstrip("/")))
        if any(f.startswith(folder + "/") for f in files):
            sections.append((Section(kind, folder, _route(route)), ident))
    default = str(config.get("default_locale") or "en")
    zh = sorted(
        (loc for loc in _locales(files, i18n) if _chinese(loc) and not _chinese(default)),
        key=lambda loc: (loc.lower() not in ("zh-hans", "zh-cn"), loc),
    )
    translated: dict[str, tuple[Section, str]] = {}  # translation folder -> original
    if zh:
        for section, ident in sections:
            plugin = f"docusaurus-plugin-content-{section.kind}"
            plugin += "" if ident == "default" else f"-{ident}"
            inside = f"{i18n}/{zh[0]}/{plugin}" + ("/current" if section.kind == "docs" else "")
            translated[inside] = (section, ident)
    chosen: dict[str, Place] = {}
    skipped: dict[str, str] = {}
    markdown = sorted(f for f in files if f.endswith(SUFFIXES))
    for path in markdown:
        for inside, (section, _) in translated.items():
            if path.startswith(inside + "/") and "/_" not in path[len(inside) :]:
                chosen[path] = Place(section, path[len(inside) + 1 :])
    overridden = {posixpath.join(p.section.folder, p.inner) for p in chosen.values()}
    for path in markdown:
        if path in chosen:
            continue
        home = next((s for s, _ in sections if path.startswith(s.folder + "/")), None)
        if path in overridden:
            skipped[path] = f"its {zh[0]} translation (i18n/{zh[0]}/) is imported instead"
        elif home is not None and any(
            part.startswith("_") for part in path[len(home.folder) + 1 :].split("/")
        ):
            skipped[path] = "a partial (Docusaurus makes no page of a _name); not imported"
        elif home is not None:
            chosen[path] = Place(home, path[len(home.folder) + 1 :])
        elif path.startswith(posixpath.join(site, "versioned_docs") + "/"):
            skipped[path] = "an older version of the docs (versioned_docs/); not imported"
        elif path.startswith(i18n + "/"):
            if not zh:
                why = f"the notes of its default locale ({default}) are imported"
            elif path.startswith(f"{i18n}/{zh[0]}/"):
                why = "not a translation of a note (the site's own pages)"
            else:
                why = f"the {zh[0]} translation is imported"
            skipped[path] = f"a translation of the site; {why}; not imported"
        elif path.startswith(pages + "/"):
            skipped[path] = "a Docusaurus page (src/pages), not a note; not imported"
        else:
            folders = ", ".join(s.folder + "/" for s, _ in sections) or "docs/ or blog/"
            skipped[path] = f"outside the site's notes ({folders}); not imported"
    return chosen, skipped


def _locales(files: Collection[str], i18n: str) -> set[str]:
    """The locales ``i18n/`` has a folder for."""
    return {f[len(i18n) + 1 :].split("/")[0] for f in files if f.startswith(i18n + "/")} - {
        f[len(i18n) + 1 :] for f in files
    }


def clean_name(name: str) -> str:
    """A file or folder name as Docusaurus shows it: ``01-入门`` is ``入门``."""
    return _NUMBER_PREFIX.sub("", name) or name


def blog_date(inner: str) -> tuple[str, str] | None:
    """(``YYYY-MM-DD``, name) of a blog post named by its day: ``2021-08-01-name.md``,
    ``2021-08-01-name/index.md`` or ``2021/08/01/name.md``."""
    stem = posixpath.splitext(inner)[0]
    if posixpath.basename(stem) == "index" and "/" in stem:
        stem = posixpath.dirname(stem)
    for pattern in (_DATED, _DATED_PATH):
        match = pattern.search(posixpath.basename(stem) if pattern is _DATED else stem)
        if match:
            return f"{match['y']}-{match['m']}-{match['d']}", match["name"]
    return None


def _is_folder_page(inner: str) -> bool:
    parts = posixpath.splitext(inner)[0].split("/")
    return parts[-1].lower() in ("index", "readme") or (
        len(parts) > 1 and clean_name(parts[-1]) == clean_name(parts[-2])
    )


def category(place: Place, labels: Mapping[str, str]) -> list[str]:
    """The folders a note sits in inside its section, each by its ``_category_`` label
    (else its name without the number prefix); a blog post kept as a folder is not one."""
    folder = posixpath.dirname(place.inner)
    if place.section.kind == "blog" and _is_folder_page(place.inner):
        folder = posixpath.dirname(folder)
    elif place.section.kind == "docs" and _is_folder_page(place.inner):
        folder = posixpath.dirname(folder) if posixpath.basename(folder) else folder
    out: list[str] = []
    so_far = place.section.folder
    for part in folder.split("/") if folder else []:
        so_far = posixpath.join(so_far, part)
        out.append(labels.get(so_far) or clean_name(part))
    return out


def old_url(place: Place, meta: Mapping[str, Any], day: str | None) -> str:
    """The URL path Docusaurus served the note at (its ``slug``, ``id``, the day in a
    blog post's name, the folders without their number prefixes)."""
    route = place.section.route.rstrip("/")
    stem = posixpath.splitext(place.inner)[0]
    folder = posixpath.dirname(stem)
    slug = meta.get("slug")
    if isinstance(slug, str) and slug.strip():
        if slug.startswith("/") or place.section.kind == "blog":
            path = slug.strip("/")
        else:
            path = posixpath.join(*map(clean_name, folder.split("/")), slug) if folder else slug
    elif place.section.kind == "blog":
        dated = blog_date(place.inner)
        if dated and day:
            path = "/".join([*day.split("-"), dated[1]])
        else:
            path = posixpath.dirname(stem) if _is_folder_page(place.inner) else stem
    else:
        parts = [clean_name(p) for p in stem.split("/")]
        ident = meta.get("id")
        if _is_folder_page(place.inner):
            parts = parts[:-1]
        elif isinstance(ident, str | int) and str(ident).strip():
            parts[-1] = str(ident).strip()
        path = "/".join(parts)
    path = path.strip("/")
    return f"{route}/{path}/" if path else f"{route}/"


# MDX: ESM lines, {/* comments */}, the truncate marker, components.
_ESM = re.compile(
    r"^(?:import\s+(?:[\w*{$]|['\"])|export\s+(?:const|let|var|function|default|async|class|\{|\*))"
)
_TRUNCATE = re.compile(r"<!--\s*truncate\s*-->|\{/\*\s*truncate\s*\*/\}", re.IGNORECASE)
_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.DOTALL)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_TABS_OPEN = re.compile(r"^\s*<Tabs\b[^>]*?(?<!/)>\s*$")
_TABS_CLOSE = re.compile(r"^\s*</Tabs>\s*$")
_ITEM_OPEN = re.compile(r"^\s*<TabItem\b(?P<attrs>[^>]*?)(?<!/)>(?P<rest>.*)$")
_ITEM_CLOSE = re.compile(r"^(?P<rest>.*?)</TabItem>\s*$")
_ATTR = re.compile(
    r"""(?P<k>\w+)\s*=\s*(?:"(?P<a>[^"]*)"|'(?P<b>[^']*)'|\{\s*['"`](?P<c>[^'"`]*)['"`]\s*\})"""
)
_VALUES = re.compile(
    r"""\{\s*(?:label\s*:\s*['"](?P<l1>[^'"]*)['"]\s*,\s*value\s*:\s*['"](?P<v1>[^'"]*)['"]|value\s*:\s*['"](?P<v2>[^'"]*)['"]\s*,\s*label\s*:\s*['"](?P<l2>[^'"]*)['"])"""
)
_COMPONENT = re.compile(r"</?[A-Z][\w.]*(?=[\s/>])[^<>]*>")
# An HTML tag written in JSX: `className`, and `style={{…}}` objects a browser cannot read.
_HTML_TAG = re.compile(r"<[a-z][\w-]*\s[^<>]*>")
_JSX_STYLE = re.compile(r"\s+style=\{\{[^{}]*\}\}")
_REQUIRE = re.compile(
    r"""=\{\s*(?:require\(\s*['"](?P<a>[^'"]+)['"]\s*\)(?:\.default)?|useBaseUrl\(\s*['"](?P<b>[^'"]+)['"]\s*\))\s*\}"""
)


def _attrs(text: str) -> dict[str, str]:
    return {m["k"]: m["a"] or m["b"] or m["c"] or "" for m in _ATTR.finditer(text)}


_MDX_BLOCK = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})mdx-code-block[ \t]*$")


def _unwrap_mdx_blocks(lines: list[str]) -> list[str]:
    """Docusaurus reads a ```` ```mdx-code-block ```` fence as MDX, not code: its lines,
    unfenced (``<Tabs>`` split around code blocks is written that way)."""
    out: list[str] = []
    closing: str | None = None
    for line in lines:
        match = _MDX_BLOCK.match(line) if closing is None else None
        if match:
            closing = match["fence"]
        elif closing is not None and line.strip() == closing:
            closing = None
        else:
            out.append(line)
    return out


def _drop_esm(lines: list[str]) -> list[str]:
    out: list[str] = []
    depth, inside, fence = 0, False, ""
    for line in lines:
        if not inside:
            match = _FENCE.match(line)
            if match and (not fence or match.group(1).startswith(fence)):
                fence = "" if fence else match.group(1)[0] * 3
            if fence or not _ESM.match(line):
                out.append(line)
                continue
            inside = True
        depth += sum(line.count(c) for c in "{([") - sum(line.count(c) for c in "})]")
        if depth <= 0:
            inside, depth = False, 0
    return out


def _tab_items(lines: list[str], labels: Mapping[str, str]) -> list[str]:
    """The lines between ``<Tabs>`` and ``</Tabs>`` as ``=== "label"`` tabs."""
    out: list[str] = []
    item: list[str] | None = None
    label = ""
    depth, fence, n = 0, "", 0
    for line in lines:
        match = _FENCE.match(line)
        if match and (not fence or match.group(1).startswith(fence)):
            fence = "" if fence else match.group(1)[0] * 3
        elif not fence and item is None and (opened := _ITEM_OPEN.match(line)):
            attrs = _attrs(opened["attrs"])
            n += 1
            value = attrs.get("value", "")
            label = attrs.get("label") or labels.get(value) or value or f"{n}"
            item = []
            rest = opened["rest"]
            closed = _ITEM_CLOSE.match(rest)
            if closed:
                out.extend(_emit(label, [closed["rest"]], labels))
                item = None
            elif rest.strip():
                item.append(rest)
            continue
        if item is None:
            continue
        if not fence:
            if _TABS_OPEN.match(line):
                depth += 1
            elif _TABS_CLOSE.match(line):
                depth -= 1
            elif depth == 0 and (closed := _ITEM_CLOSE.match(line)):
                if closed["rest"].strip():
                    item.append(closed["rest"])
                out.extend(_emit(label, item, labels))
                item = None
                continue
        item.append(line)
    if item is not None:
        out.extend(_emit(label, item, labels))
    return out


def _emit(label: str, item: list[str], labels: Mapping[str, str]) -> list[str]:
    body = textwrap.dedent("\n".join(tabs(item))).strip("\n")
    title = label.replace('"', "“")
    inner = [("    " + line) if line.strip() else "" for line in body.split("\n")]
    return [f'=== "{title}"', "", *inner, ""]


def tabs(lines: list[str]) -> list[str]:
    """``lines`` with each ``<Tabs>``…``</Tabs>`` (nested ones too) as content tabs."""
    out: list[str] = []
    i, fence = 0, ""
    while i < len(lines):
        line = lines[i]
        match = _FENCE.match(line)
        if match and (not fence or match.group(1).startswith(fence)):
            fence = "" if fence else match.group(1)[0] * 3
        if fence or not _TABS_OPEN.match(line):
            out.append(line)
            i += 1
            continue
        labels = {m["v1"] or m["v2"]: m["l1"] or m["l2"] for m in _VALUES.finditer(line)}
        depth, j, inner_fence = 1, i + 1, ""
        while j < len(lines):
            m = _FENCE.match(lines[j])
            if m and (not inner_fence or m.group(1).startswith(inner_fence)):
                inner_fence = "" if inner_fence else m.group(1)[0] * 3
            elif not inner_fence and _TABS_OPEN.match(lines[j]):
                depth += 1
            elif not inner_fence and _TABS_CLOSE.match(lines[j]):
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if out and out[-1].strip():
            out.append("")
        out.extend(_tab_items(lines[i + 1 : j], labels))
        i = j + 1
    return out


def convert_mdx(body: str) -> tuple[str, list[str]]:
    """``body`` written for Docusaurus's MDX as Markdown for this site, and what the report
    says: ``import``/``export`` lines and ``{/* comments */}`` dropped, ``<!--truncate-->``
    as ``<!-- more -->``, ``<Tabs>`` as content tabs, ``src={require('./a.png').default}``
    as ``src="./a.png"``, ``@site/static/`` paths from the site's root; any other component
    is kept as the text it was written as (said in the report)."""
    body = "\n".join(_unwrap_mdx_blocks(body.split("\n")))
    body = outside_code(body, lambda t: _TRUNCATE.sub("<!-- more -->", t))
    body = outside_code(body, lambda t: _COMMENT.sub("", t))
    lines = tabs(_drop_esm(body.split("\n")))
    body = "\n".join(lines)
    found: dict[str, None] = {}

    def shown(text: str) -> str:
        text = _REQUIRE.sub(lambda m: '="' + (m["a"] or m["b"]) + '"', text)
        text = _HTML_TAG.sub(
            lambda m: _JSX_STYLE.sub("", m.group(0)).replace(" className=", " class="), text
        )
        text = re.sub(r"(\]\(|src=\")@site/(?:static/)?", r"\1/", text)
        for match in _COMPONENT.finditer(text):
            name = re.match(r"</?([\w.]+)", match.group(0))
            if name:
                found[name.group(1)] = None
        return _COMPONENT.sub(lambda m: m.group(0).replace("<", "&lt;"), text)

    body = outside_code(body, shown)
    notes = [
        f"MDX component <{name}> has no Markdown form; kept as the text it was written as"
        for name in found
    ]
    return body, notes


def tag_names(value: Any) -> Any:
    """Docusaurus's ``tags`` (names, or ``{label, permalink}`` objects) as names."""
    if isinstance(value, list):
        return [v.get("label") if isinstance(v, dict) else v for v in value]
    return value

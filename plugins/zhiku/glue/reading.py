"""Checks of the reading features' settings under mkdocs.yml's ``extra``.

The theme's templates read them (``extra: comments:`` for the comment widget under
articles, ``extra: zhiku:`` for the theme's fixed texts); a mistake there would only
show as a missing widget or an English default, so it stops the build instead, in one
line that says what to write.
"""

from __future__ import annotations

from collections.abc import Mapping

from mkdocs.exceptions import PluginError

# Each provider, the settings it cannot work without, and the hosts its widget asks
# (README, Comments). Other keys are handed to the widget as they are.
COMMENT_PROVIDERS: dict[str, tuple[str, ...]] = {
    "giscus": ("repo", "repo_id", "category", "category_id"),
    "waline": ("server_url",),
    "twikoo": ("env_id",),
}

THEME_TEXTS = frozenset(
    {
        "hero_kicker",
        "hero_title",
        "hero_subtitle",
        "feeds_label",
        "toc_title",
        "comments_title",
        "not_found_kicker",
        "not_found_title",
        "not_found_lead",
    }
)


def check_reading_settings(extra: object) -> None:
    """Stop the build on a wrong ``extra: comments:`` or ``extra: zhiku:`` in mkdocs.yml."""
    if not isinstance(extra, Mapping):
        return
    _check_comments(extra.get("comments"))
    _check_texts(extra.get("zhiku"))


def _check_comments(comments: object) -> None:
    if comments is None:
        return
    if not isinstance(comments, Mapping):
        raise PluginError(
            "mkdocs.yml: extra: comments is not a mapping; write `provider: giscus` "
            "(or waline, twikoo) and its settings under it, or remove it"
        )
    provider = comments.get("provider")
    if provider not in COMMENT_PROVIDERS:
        raise PluginError(
            f"mkdocs.yml: extra: comments: provider {provider!r} is not one Zhiku knows; "
            "write giscus, waline or twikoo, or remove extra: comments"
        )
    missing = [key for key in COMMENT_PROVIDERS[provider] if not comments.get(key)]
    if missing:
        raise PluginError(
            f"mkdocs.yml: extra: comments: {provider} needs {', '.join(missing)}; "
            f"add {'them' if len(missing) > 1 else 'it'} (README, Comments says where to find "
            f"{'them' if len(missing) > 1 else 'it'})"
        )
    for key, value in comments.items():
        if not isinstance(value, str | int | float | bool):
            raise PluginError(
                f"mkdocs.yml: extra: comments: {key} is not a single value; write it on "
                "one line, like `mapping: pathname`"
            )


def _check_texts(texts: object) -> None:
    if texts is None:
        return
    if not isinstance(texts, Mapping):
        raise PluginError(
            "mkdocs.yml: extra: zhiku is not a mapping; write one text a line, "
            "like `hero_kicker: 最新收录`"
        )
    for key, value in texts.items():
        if key not in THEME_TEXTS:
            raise PluginError(
                f"mkdocs.yml: extra: zhiku: {key!r} is not a text of the theme; "
                f"use one of {', '.join(sorted(THEME_TEXTS))}"
            )
        if not isinstance(value, str):
            raise PluginError(
                f"mkdocs.yml: extra: zhiku: {key}: {value!r} is not text; quote it, "
                f'like {key}: "{value}"'
            )

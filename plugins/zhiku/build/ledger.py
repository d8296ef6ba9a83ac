"""The ledger: for every output a build wrote, the named inputs it was made from.

An output (a page of the site, by its source path) is a function of its inputs: its own
source, its place in the site, the titles of the neighbours its footer links to, the
listing it shows, the options and theme files every page reads… Each input has a name
that says what it is (``source``, ``neighbour: detr.md``, ``option: extra``,
``theme file: main.html``) and a digest of its value. The ledger keeps, per output, the
inputs it was last built from; the next build hands it the inputs as they are now, and the
ledger answers, per output, whether it is kept, and if not, why: the first input, in the
order the build declared them, whose digest changed, appeared or went.

Inputs every output reads (options, theme, navigation, Zhiku's own code) are *shared*:
declared once a build, not once a page, and a change there rebuilds every page, for that
reason.

An output that warned while it was built is rebuilt next time whatever its inputs, so that
the warning is said again (and fails ``--strict`` as on a cold build).

Nothing here knows MkDocs: outputs and inputs are names and digests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Inputs = Mapping[str, str]
"""Named inputs of one output: ``{name: digest}``, in the order reasons are looked for."""

NEW = "new page"
FIRST = "no earlier build to go on from"
UNKNOWN = "inputs unknown"
"""What a page depends on cannot be told (another plugin's hooks change pages)."""
WARNED = "it warned when last built"


def _first_change(was: Inputs, now: Inputs) -> str | None:
    """The first input that differs between ``was`` and ``now``: changed, added, or gone
    (an input ``was`` had is placed where it stood, so that a neighbour that went is named
    before the footer it leaves changed); None when the two are the same."""
    if was == now:
        return None
    gone_after: dict[str | None, list[str]] = {}
    previous: str | None = None
    for name in was:
        if name in now:
            previous = name
        else:
            gone_after.setdefault(previous, []).append(name)
    for name in gone_after.get(None, ()):
        return f"{name} (gone)"
    for name, digest in now.items():
        old = was.get(name)
        if old is None:
            return f"{name} (added)"
        if old != digest:
            return name
        for gone in gone_after.get(name, ()):
            return f"{gone} (gone)"
    return None


class Ledger:
    """What each output was built from, and why an output must be built again."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, str]] = {}
        self._shared: dict[str, str] = {}
        self._notes: dict[str, str] = {}  # output -> why it is rebuilt whatever its inputs
        self._shared_change: str | None = None

    # -- between processes -----------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Plain data a later process can :meth:`restore` from."""
        return {"entries": self._entries, "shared": self._shared, "notes": self._notes}

    @classmethod
    def restore(cls, state: Mapping[str, Any]) -> Ledger:
        ledger = cls()
        ledger._entries = {k: dict(v) for k, v in state["entries"].items()}
        ledger._shared = dict(state["shared"])
        ledger._notes = dict(state["notes"])
        return ledger

    # -- one build ----------------------------------------------------------------------

    def begin(self, shared: Inputs | None) -> None:
        """Start a build whose shared inputs are ``shared`` (None: they cannot be told,
        so every output is rebuilt)."""
        if shared is None:
            self._shared_change = UNKNOWN
        elif not self._entries and not self._notes:
            self._shared_change = FIRST
        else:
            self._shared_change = _first_change(self._shared, shared)
        self._shared = dict(shared or {})

    def reason(self, output: str, inputs: Inputs | None) -> str | None:
        """Why ``output`` must be built again with ``inputs``; None if what the site
        folder holds for it is current."""
        if inputs is None:
            return UNKNOWN
        if self._shared_change is not None:
            return self._shared_change
        was = self._entries.get(output)
        if was is None:
            return self._notes.get(output, NEW)
        return _first_change(was, inputs)

    def record(self, output: str, inputs: Inputs) -> None:
        """``output`` was built from ``inputs``."""
        self._entries[output] = dict(inputs)
        self._notes.pop(output, None)

    def rebuild_next_time(self, output: str, why: str) -> None:
        """Forget what ``output`` was built from: the next build rebuilds it, for ``why``."""
        self._entries.pop(output, None)
        self._notes[output] = why

    def keep_only(self, outputs: Iterable[str]) -> None:
        """Outputs not in ``outputs`` are no longer the site's: forget them."""
        kept = set(outputs)
        self._entries = {k: v for k, v in self._entries.items() if k in kept}
        self._notes = {k: v for k, v in self._notes.items() if k in kept}

    def clear(self) -> None:
        """Nothing in the site folder can be trusted: every output is built again."""
        self._entries.clear()
        self._notes.clear()
        self._shared.clear()
        self._shared_change = None

"""The chronology of a case and its linked cluster (issue 17): one timeline across cases.

Service functions for the faces (the desktop timeline, the command line, the referral pack):
- `view(session, ref, min_probability=None, identity="initials")` → Chronology, recording the
  consultation (every case of the cluster is named in the entry).
- `build(conn, ref, ...)` → Chronology without an audit entry, for callers already inside an
  audited change (the pack).
- `export_csv(session, ref, out, lanes="case"|"suspect", ...)`: the i2 timeline CSV, a disclosure.
- `add_event`, `proposals`, `confirm`, `dismiss`: a reviewer's events and dates from the free text.

The cluster follows `linking.links_for_case`: confirmed links, and suggested links at or above a
minimum match probability (resources/chronology/settings.toml), marked as such. Victims are shown
minimised (`pack.identity`'s rules) unless full identity is chosen, and that choice is audited.
Qt-free: the desktop draws what this returns.
"""
from __future__ import annotations

from triage_app.chronology.events import build
from triage_app.chronology.minimise import Cleaner
from triage_app.chronology.model import KIND_WORDS, KINDS, NO_SUSPECT, Chronology, Event  # noqa: F401
from triage_app.chronology.settings import settings  # noqa: F401
from triage_app.chronology.store import add_event, cluster_victims, confirm, dismiss, found
from triage_app.errors import BadInput

LANES = ("case", "suspect")

__all__ = ["view", "build", "export_csv", "add_event", "proposals", "confirm", "dismiss", "LANES"]


def check_lanes(lanes: str) -> str:
    if lanes not in LANES:
        raise BadInput(f"Lanes are 'case' or 'suspect', not '{str(lanes)[:20]}'.")
    return lanes


def view(session, ref: str, min_probability: float | None = None, identity: str = "initials",
         reason: str | None = None) -> Chronology:
    session.require("read")
    chron = build(session.conn, ref, min_probability, identity)
    session.record("read", "chronology.view", case=ref,
                   detail={"cases": [m.ref for m in chron.members], "events": len(chron.events),
                           "identity": identity, "min_probability": chron.min_probability,
                           "reason": reason or "chronology"})
    return chron


def export_csv(session, ref: str, out, lanes: str = "case", min_probability: float | None = None,
               identity: str = "initials", reason: str | None = None) -> tuple[Chronology, int]:
    from triage_app.chronology import export
    session.require("read")
    check_lanes(lanes)
    chron = build(session.conn, ref, min_probability, identity)
    return chron, export.write(session, chron, out, lanes, reason)


def proposals(session, ref: str, identity: str = "initials") -> list[dict]:
    """Dates found in the case's free text, not yet confirmed or dismissed, minimised for showing."""
    session.require("read")
    # The case's text may name a victim of a linked case: no date of birth of any victim of the
    # cluster is proposed, and the sentences are minimised against all of them.
    victims = cluster_victims(session.conn, ref)
    items = found(session.conn, ref, victims)
    texts = Cleaner(victims, identity).clean_all([f.text for f in items])
    session.record("read", "chronology.proposals", case=ref, detail={"proposals": len(items)})
    return [{"id": f.id, "date": f.date, "field": f.field, "text": t} for f, t in zip(items, texts)]

"""Words the screens show for codes and stamps (no Qt): one date form (dd/mm/yyyy), times in local
time as 'dd/mm/yyyy HH:MM', Home Office outcome codes spelled out (the referral pack's own list,
resources/pack/outcome_codes.toml), eligibility screens explained, audit details in plain words.
"""
from __future__ import annotations

import tomllib
from datetime import datetime, timezone
from functools import lru_cache

from triage_app.paths import resource

BEACONPORT = ("Beaconport: the NCA's Operation Beaconport reviews child sexual exploitation cases closed "
              "with no further action; 'yes' means this case meets its intake criteria.")
CSARP = ("CSARP: the Child Sexual Abuse Review Panel looks again at closed child sexual abuse cases; "
         "'yes' means this case meets its criteria.")
UNKNOWN = "'?' means not yet known: a fact the screen needs (e.g. whether suspects are alive) is missing."


def day(iso) -> str:
    """'2014-03-02' (or a longer ISO stamp) → '02/03/2014'; anything else as given."""
    return _day("" if iso is None else str(iso))


@lru_cache(maxsize=8192)
def _day(text: str) -> str:
    # Kept: a queue screen shows a few hundred dates, most of them shown before, and parsing one
    # with strptime cost more than the rest of its row.
    try:
        return datetime.strptime(text[:10], "%Y-%m-%d").strftime("%d/%m/%Y")
    except ValueError:
        return text


def when(stamp) -> str:
    """An ISO 8601 UTC stamp → local 'dd/mm/yyyy HH:MM'."""
    text = "" if stamp is None else str(stamp)
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone().strftime("%d/%m/%Y %H:%M")


@lru_cache(maxsize=1)
def _outcomes() -> tuple[dict, dict]:
    try:
        with open(resource("pack", "outcome_codes.toml"), "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}, {}
    return dict(data.get("codes", {})), dict(data.get("recommendations", {}))


def outcome(code) -> str:
    """'16' → '16 — Named suspect identified; victim does not support…'; free text as given."""
    text = "" if code is None else str(code).strip()
    meaning = _outcomes()[0].get(text)
    return f"{text} — {meaning}" if meaning else text


def recommendation(key) -> str:
    return _outcomes()[1].get(key or "", key or "—")


_DETAIL_WORDS = {"comment": "with a comment", "note": "with a note", "wishes": "wishes recorded",
                 "resubmission": "a resubmission", "resumed": "resumed"}
_LIST_WORDS = {"isva": "ISVA", "ictg": "ICTG"}


def detail(d: dict | None) -> str:
    """An audit entry's detail in words: 'comment: False' → 'no comment', ['isva'] → 'ISVA'."""
    out = []
    for k, v in (d or {}).items():
        name = k.replace("_", " ")
        if v is None or v == [] or v == "":
            continue
        if isinstance(v, bool):
            base = _DETAIL_WORDS.get(k, name)
            out.append(base if v else ("no " + k.replace("_", " ") if k in _DETAIL_WORDS else f"{name}: no"))
        elif isinstance(v, (list, tuple)):
            out.append(f"{name}: " + ", ".join(_LIST_WORDS.get(str(x), str(x)) for x in v))
        elif k in ("date", "nfa_date") and isinstance(v, str):
            out.append(f"{name}: {day(v)}")
        else:
            out.append(f"{name}: {v}")
    return "; ".join(out)

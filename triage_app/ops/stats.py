"""The statistics return for national data collection: counts only, no personal data at all.

Nothing here reads a name, a date of birth, a reference or any free text into the output: codes
are kept only when they look like Home Office codes (free-text outcomes from older records become
"other text"), and every count is grouped.

Small-number suppression: a count of 1–4 is shown as "<5" (0 is shown: nothing to protect).
Each group's counts add up to a published total, so one hidden count in a group could be worked
back by subtraction; then the next smallest count in that group is rounded to the nearest 5 and
named in `rounded`, which leaves the hidden one uncertain across its whole range.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date

from triage_app.fileio import safe_cell
from triage_app.review.summary import approved_recommendations

FORMAT = "triage-app stats 1"
SUPPRESSED = "<5"
OUTCOME_CODES = {str(n) for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 22)}
_OFFENCE_CODE = re.compile(r"^\d{1,3}[A-Z]?$")
# Values that say ethnicity was asked about but not given: counted apart from a blank.
NOT_STATED = {"not stated", "not-stated", "ns", "ic9", "9", "z", "unknown", "refused", "prefer not to say"}
REVIEW_STATES = ("not_started", "in_review", "returned", "submitted", "approved")
RECOMMENDATIONS = ("reopen", "refer", "confirm-nfa")


def _outcome(value) -> str:
    v = (value or "").strip()
    if not v:
        return "not recorded"
    return v if v in OUTCOME_CODES else "other text"


def _offence(value) -> str:
    v = (value or "").strip().upper().replace(" ", "")
    if not v:
        return "not recorded"
    return v if _OFFENCE_CODE.match(v) else "other"


def _tri(value) -> str:
    return {1: "yes", 0: "no"}.get(value, "unknown")


def _ethnicity(value) -> str:
    v = (value or "").strip().lower()
    if not v:
        return "missing"
    return "not_stated" if v in NOT_STATED else "recorded"


def _count(values, keys=()) -> dict[str, int]:
    """Counts with the expected categories first (even at 0), then any others in order."""
    fixed = {k: 0 for k in keys}
    extra: dict[str, int] = {}
    for v in values:
        if v in fixed:
            fixed[v] += 1
        else:
            extra[v] = extra.get(v, 0) + 1
    return {**fixed, **dict(sorted(extra.items()))}


def raw_counts(conn) -> dict:
    """The unsuppressed counts (never shown as they are; `statistics` suppresses them)."""
    cases = conn.execute("SELECT outcome_code, offence_code, beaconport, csarp, status FROM cases").fetchall()
    nominals = conn.execute("SELECT role, ethnicity FROM nominals WHERE role IN ('suspect', 'victim')").fetchall()
    approved = approved_recommendations(conn)
    return {
        "cases": len(cases),
        "outcome_code": _count(_outcome(r[0]) for r in cases),
        "offence_code": _count(_offence(r[1]) for r in cases),
        "eligibility": {
            "beaconport": _count((_tri(r[2]) for r in cases), ("yes", "no", "unknown")),
            "csarp": _count((_tri(r[3]) for r in cases), ("yes", "no", "unknown")),
        },
        "review_status": _count((r[4] if r[4] in REVIEW_STATES else "not_started" for r in cases), REVIEW_STATES),
        "recommendation": {k: approved.get(k, 0) for k in RECOMMENDATIONS},
        "ethnicity": {
            "suspects": _count((_ethnicity(r[1]) for r in nominals if r[0] == "suspect"), ("recorded", "not_stated", "missing")),
            "victims": _count((_ethnicity(r[1]) for r in nominals if r[0] == "victim"), ("recorded", "not_stated", "missing")),
        },
    }


# --- suppression ----------------------------------------------------------------------------

def _small(n: int) -> bool:
    return 1 <= n <= 4


def suppress_group(counts: dict[str, int], path: str, rounded: list[str]) -> dict:
    """Suppress one group of counts that add up to a published total (see the module docstring)."""
    shown: dict[str, int | str] = {k: (SUPPRESSED if _small(v) else v) for k, v in counts.items()}
    hidden = [k for k, v in counts.items() if _small(v)]
    if len(hidden) == 1:
        others = sorted((v, k) for k, v in counts.items() if v >= 5)
        if others:
            v, k = others[0]
            shown[k] = max(5, 5 * round(v / 5))
            rounded.append(f"{path}.{k}")
    return shown


def suppress_number(n: int):
    return SUPPRESSED if _small(n) else n


def statistics(conn, today: date | None = None) -> dict:
    """The statistics return: counts as numbers, or "<5" where suppressed (docs/CLI.md, stats)."""
    raw = raw_counts(conn)
    rounded: list[str] = []
    status = raw["review_status"]
    reviews = {"done": status["approved"], "waiting": status["not_started"],
               "in_progress": status["in_review"] + status["returned"], "awaiting_decision": status["submitted"]}
    rec = raw["recommendation"]
    approved = sum(rec.values())
    out = {
        "format": FORMAT,
        "as_of": (today or date.today()).isoformat(),
        "cases": suppress_number(raw["cases"]),
        "outcome_code": suppress_group(raw["outcome_code"], "outcome_code", rounded),
        "offence_code": suppress_group(raw["offence_code"], "offence_code", rounded),
        "eligibility": {k: suppress_group(v, f"eligibility.{k}", rounded) for k, v in raw["eligibility"].items()},
        "reviews": suppress_group(reviews, "reviews", rounded),
        "recommendation": suppress_group(rec, "recommendation", rounded),
        "reopen_rate_percent": _rate(rec["reopen"], approved),
        "ethnicity": {k: suppress_group(v, f"ethnicity.{k}", rounded) for k, v in raw["ethnicity"].items()},
        "rounded": rounded,
        "suppression": 'Counts of 1 to 4 are shown as "<5"; where that alone would let one be worked out '
                       "by subtraction, the next smallest count in its group is rounded to the nearest 5 "
                       "(listed under rounded).",
    }
    return out


def _rate(part: int, whole: int):
    """A percentage, or None when it would give away a suppressed count (or there is none)."""
    if whole < 5 or _small(part) or _small(whole - part):
        return None
    return round(100 * part / whole)


def rows(stats: dict) -> list[tuple[str, str, object]]:
    """(section, category, value) for CSV and the PDF: every count, in the JSON's order."""
    out: list[tuple[str, str, object]] = [("cases", "total", stats["cases"])]

    def walk(prefix: str, node) -> None:
        for k, v in node.items():
            if isinstance(v, dict):
                walk(f"{prefix}.{k}" if prefix else k, v)
            else:
                out.append((prefix, k, v))

    for section in ("outcome_code", "offence_code", "eligibility", "reviews", "recommendation", "ethnicity"):
        node = stats[section]
        if section in ("eligibility", "ethnicity"):
            walk(section, node)
        else:
            for k, v in node.items():
                out.append((section, k, v))
    out.append(("reviews", "reopen_rate_percent", "" if stats["reopen_rate_percent"] is None else stats["reopen_rate_percent"]))
    return out


def to_csv(stats: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "category", "count"])
    for section, category, count in rows(stats):
        # Categories come from imported codes: escaped like every CSV the tool writes.
        w.writerow([section, safe_cell(str(category)), count])
    return buf.getvalue()

"""Reading and exporting the audit log, for those who may (supervisors, admins): the filters the
desktop's audit viewer offers, the CSV it writes, and the export as a disclosure (file and entry
together, `disclosure.write_disclosure`). `audit log --csv --out FILE` and the viewer's
"Export CSV…" both call `export_csv`. In the file, free text in an entry's detail (a search, a
reason) has every victim's identifiers withheld, as in any export; the log itself is unchanged.
"""
from __future__ import annotations

import csv
import io
import json
import re

from triage_app import audit
from triage_app.disclosure import write_disclosure
from triage_app.errors import BadInput
from triage_app.fileio import safe_cell
from triage_app.pack.identity import VictimIdentity, _redact_value

_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


def check_day(value: str | None, what: str) -> str:
    value = (value or "").strip()
    if value and not _DAY.match(value):
        raise BadInput(f"The {what} date '{value[:12]}' is not YYYY-MM-DD.")
    return value


def filter_entries(rows: list[dict], user: str = "", action: str = "", case: str = "", since: str = "",
                   until: str = "") -> list[dict]:
    """Entries matching every filter given: user exactly, action and case as contained text,
    dates (YYYY-MM-DD) inclusive."""
    action, case = action.strip().lower(), case.strip().lower()
    return [r for r in rows if (not user or r["user"] == user) and (not action or action in r["action"].lower())
            and (not case or case in (r["case"] or "").lower()) and (not since or r["at"][:10] >= since)
            and (not until or r["at"][:10] <= until)]


def to_csv(rows: list[dict]) -> str:
    """seq, at, user, action, kind, case, detail (JSON); every cell a spreadsheet could run is escaped."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["seq", "at", "user", "action", "kind", "case", "detail"])
    for r in rows:
        w.writerow([r["seq"], safe_cell(r["at"]), safe_cell(r["user"]), safe_cell(r["action"]), safe_cell(r["kind"]),
                    safe_cell(r["case"]), safe_cell(json.dumps(r["detail"], ensure_ascii=False, sort_keys=True))])
    return out.getvalue()


def export_csv(session, out, *, case_ref: str | None = None, user: str = "", action: str = "", case: str = "",
               since: str = "", until: str = "") -> dict:
    """Write the entries matching the filters (`case_ref`: exactly that case; `case`: contained
    text, as the viewer filters) to `out` with the export's own disclosure entry.
    Returns file, size, sha256, detail and entries (how many were written)."""
    since, until = check_day(since, "since"), check_day(until, "until")
    filters = {k: v for k, v in (("case", case_ref or case), ("user", user), ("action", action), ("since", since),
                                 ("until", until)) if v}

    def make(conn, entry):
        rows = filter_entries(audit.entries(conn, case_ref), user, action, case, since, until)
        if not rows:
            raise BadInput("No audit entries match; nothing was written.")
        entry["entries"] = len(rows)
        # The file leaves the vault: what people typed into an entry (a search for a name, a reason,
        # a justification) is minimised like any other export (pack.identity), against every victim.
        victims = VictimIdentity.from_vault(conn)
        rows = [{**r, "detail": _redact_value(r["detail"], victims.redact)} for r in rows]
        entry["victims"] = "initials"
        return to_csv(rows).encode("utf-8-sig")

    done = write_disclosure(session, out, make, permission="audit_read", action="audit.export", case=case_ref,
                            detail={"format": "csv", "filters": filters})
    return {**done, "entries": done["detail"]["entries"]}

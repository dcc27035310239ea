"""The team dashboard's numbers: where the work stands, for the people doing it (no Qt).

Unlike the statistics return (`ops.stats`, which leaves the force and is suppressed), these counts
stay inside the vault's own screens, so they are exact and may name reviewers. Reading them is
not a case read; exporting them (`export_csv`) is a disclosure, written with its audit entry.
"""
from __future__ import annotations

import csv
import io

from triage_app.disclosure import write_disclosure
from triage_app.fileio import safe_cell
from triage_app.review.summary import approved_recommendations

STATES = ("not_started", "in_review", "submitted", "returned", "approved")
STATE_WORDS = {"not_started": "Not started", "in_review": "In review", "submitted": "Submitted",
               "returned": "Returned", "approved": "Approved"}
# The same cut-offs as the triage queue's band filter, so a band here is the band a user filters by.
BANDS = (("High (60+)", "priority >= 60"), ("Medium (30–59)", "priority >= 30 AND priority < 60"),
         ("Low (under 30)", "priority < 30 OR priority IS NULL"))
ELIGIBILITY = (("Beaconport and CSARP", "beaconport = 1 AND csarp = 1"),
               ("Beaconport only", "beaconport = 1 AND coalesce(csarp, 0) = 0"),
               ("CSARP only", "csarp = 1 AND coalesce(beaconport, 0) = 0"),
               ("Not yet known", "(beaconport IS NULL OR csarp IS NULL) AND coalesce(beaconport, 0) = 0 "
                                 "AND coalesce(csarp, 0) = 0"),
               ("Neither", "beaconport = 0 AND csarp = 0"))
RECOMMENDATION_WORDS = {"reopen": "Reopen", "refer": "Refer", "confirm-nfa": "Confirm NFA"}


def counts(session) -> dict[str, list[tuple[str, int]]]:
    """{section title: [(category, count)]}, every section in a fixed order for the charts."""
    session.require("read")
    conn = session.conn
    by_status = dict(conn.execute("SELECT coalesce(status, 'not_started'), count(*) FROM cases GROUP BY 1"))
    recs = approved_recommendations(conn)
    # Every eligibility and band count in one pass over the cases.
    grouped = ELIGIBILITY + BANDS
    tallies = conn.execute("SELECT " + ", ".join(f"coalesce(sum(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)"
                                                 for _, cond in grouped) + " FROM cases").fetchone()
    tally = {label: n for (label, _), n in zip(grouped, tallies)}
    per_reviewer = conn.execute(
        "SELECT author, sum(state = 'in_review'), sum(state = 'submitted'), sum(state = 'returned'), "
        "sum(state = 'approved') FROM reviews GROUP BY author ORDER BY author").fetchall()
    return {
        "Cases by review status": [(STATE_WORDS[s], by_status.get(s, 0)) for s in STATES],
        "Cases by eligibility": [(label, tally[label]) for label, _ in ELIGIBILITY],
        "Cases by priority band": [(label, tally[label]) for label, _ in BANDS],
        "Approved reviews by recommendation": [(w, recs.get(k, 0)) for k, w in RECOMMENDATION_WORDS.items()],
        "Reviews per reviewer (all versions)": [(r[0], int(r[1] + r[2] + r[3] + r[4])) for r in per_reviewer],
        "Reviews waiting on a supervisor, by author": [(r[0], r[2]) for r in per_reviewer if r[2]],
    }


def to_csv(data: dict[str, list[tuple[str, int]]]) -> str:
    """section, category, count — every cell a spreadsheet could run as a formula is escaped."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["section", "category", "count"])
    for section, rows in data.items():
        for category, n in rows:
            w.writerow([safe_cell(section), safe_cell(category), n])
    return out.getvalue()


def export_csv(session, out) -> dict:
    """The counts as they stand, written to `out` as CSV with the export's disclosure entry."""
    def make(conn, entry):
        data = counts(session)
        entry["sections"] = len(data)
        return to_csv(data).encode("utf-8-sig")

    return write_disclosure(session, out, make, permission="read", action="dashboard.export",
                            detail={"format": "csv"})

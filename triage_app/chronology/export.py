"""The chronology as a CSV file that i2 Analyst's Notebook's timeline import maps: one row per event
per theme line (a case, or a suspect), the same Event ID on each of an event's rows so i2 makes one
event frame; dates as DD/MM/YYYY with an ISO copy. Cells a spreadsheet could run are neutralised.

The file and its audit entry (a disclosure) are written together; the file is removed if the entry
fails (`write`).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from triage_app.chronology.model import KIND_WORDS, Chronology
from triage_app.fileio import safe_cell, write_atomic

COLUMNS = ("Theme Line", "Theme Line Type", "Event ID", "Date", "Time", "Date ISO", "Event Type", "Description",
           "Source", "Crime Ref", "Link To Case", "Link Probability", "Victims", "Suspects", "Others", "Place")


def _people(e, role: str | None) -> str:
    return "; ".join(p.shown_as for p in e.people if (p.role == role if role else p.role not in ("victim", "suspect")))


def csv_bytes(chron: Chronology, lanes: str = "case") -> bytes:
    probability = {m.ref: m.probability for m in chron.members}
    labels = dict(chron.lanes(lanes))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for e in chron.events:
        day = f"{e.date[8:10]}/{e.date[5:7]}/{e.date[:4]}"
        time = e.time[11:19] if e.time and len(e.time) >= 19 else ""
        for lane in chron.lane_keys(e, lanes):
            p = probability.get(e.case)
            row = [labels.get(lane, lane), "Case" if lanes == "case" else "Suspect", e.id, day, time, e.date,
                   KIND_WORDS.get(e.kind, e.kind), e.text, e.source, e.case,
                   {None: "case asked for"}.get(e.link, e.link), "" if p is None else f"{p:.2f}",
                   _people(e, "victim"), _people(e, "suspect"), _people(e, None), e.place or ""]
            w.writerow([safe_cell(c) for c in row])
    return buf.getvalue().encode("utf-8-sig")


def write(session, chron: Chronology, out, lanes: str, reason: str | None) -> int:
    """Write the CSV and its disclosure entry together; returns the number of rows."""
    out = Path(out)
    data = csv_bytes(chron, lanes)
    rows = data.count(b"\r\n") - 1
    created = False
    try:
        with session.change("read", "chronology.export", kind="disclosure", case=chron.ref,
                            detail={"format": "csv", "file": out.name, "lanes": lanes, "identity": chron.identity,
                                    "cases": [m.ref for m in chron.members], "events": len(chron.events),
                                    "rows": rows, "min_probability": chron.min_probability,
                                    "reason": reason or "chronology export"}):
            write_atomic(out, data)
            created = True
    except BaseException:
        if created:
            out.unlink(missing_ok=True)
        raise
    return rows

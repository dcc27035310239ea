"""The pack's Annex A: the chronology of the case and its cluster, drawn and tabled, minimised."""
from __future__ import annotations

import re

from pypdf import PdfReader

from triage_app import chronology
from triage_app.pack.chronology import TITLE
from triage_app.pack.issue import issue_pack

from .conftest import approve_review, victim_values


def _text(path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _annex(text: str) -> str:
    return text[text.index(TITLE):]


def test_pack_annex_has_every_event_and_no_victim_identity(login, cluster, tmp_path):
    ref = cluster.refs[0]
    approve_review(login, ref)
    rita = login("rita")
    chronology.confirm(rita, ref, next(p["id"] for p in chronology.proposals(rita, ref)
                                       if p["date"] == cluster.text_dates[ref]))
    chronology.add_event(rita, ref, "2009-02-02", f"Seen with {cluster.victims[1]['forenames']} "
                         f"{cluster.victims[1]['surname']} at the flat", "Home log 57")
    out = tmp_path / "pack.pdf"
    issue_pack(rita, ref, out)
    text = _text(out)
    annex = _annex(text)
    flat = " ".join(annex.split())
    for value in victim_values(cluster):
        assert value not in flat, value
    assert not re.search(r"07700\s*900\s*5\d\d", flat)          # no victim's phone in any spacing
    c = chronology.build(rita.conn, ref)
    for e in c.events:                                            # every event's row: its date and case
        assert e.date in flat and e.case in flat
    assert flat.count("Offence: 19D") == len(cluster.refs)
    assert "Home log 57" in flat and "B1: offences on 3 cases at Flat above takeaway" in flat
    assert "Review approved" in flat and "Reported missing" in flat or "reported missing" in flat


def test_full_identity_pack_shows_names_in_the_annex(login, cluster, tmp_path):
    ref = cluster.refs[0]
    approve_review(login, ref)
    out = tmp_path / "pack.pdf"
    issue_pack(login("rita"), ref, out, identity="full")
    annex = " ".join(_annex(_text(out)).split())
    assert cluster.victims[0]["surname"].upper() in annex and "FULL victim identity is shown" in annex

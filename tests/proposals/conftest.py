"""Hand-made cases for proposal tests, written into the vault as the importer writes them.
Every name, date, phone and plate here is synthetic (Faker-style names, Ofcom drama numbers)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from triage_app import linking
from triage_app.audit import utc_now

_spec = importlib.util.spec_from_file_location("triage_conftest", Path(__file__).parent.parent / "triage" / "conftest.py")
_triage = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_triage)
add_nominal = _triage.add_nominal

SUMMARY = ("Lucy was picked up by SUSPECT 1 in a silver Vauxhall Astra and taken to a flat above a takeaway. "
           "No ABE was conducted. Lucy's phone was downloaded but the suspect's handset was not seized. "
           "The suspect was arrested and interviewed under caution; he made no comment.")
RATIONALE = "NFA. Lucy appears to have consented to the activity. It is unclear whether a CAWN was served."


def add_case(session, ref: str, *, summary: str = SUMMARY, rationale: str = RATIONALE, exhibits: str = "unknown",
             offence_date: str = "2012-03-04", nfa_date: str = "2013-01-10", victim_age: int = 14,
             suspect=("Imran", "Shah", "1975-02-03"), phone: str | None = None) -> int:
    """A case with one victim (Lucy Hartley) and one suspect, added by a supervisor's import."""
    with session.change("import", "test.case", kind="collection", case=ref):
        now = utc_now()
        cur = session.conn.execute(
            "INSERT INTO cases(ref, nfa_date, offence_date, summary, nfa_rationale, exhibits_retained, imported_at, "
            "updated_at) VALUES (?,?,?,?,?,?,?,?)", (ref, nfa_date, offence_date, summary, rationale, exhibits, now, now))
        cid = cur.lastrowid
        add_nominal(session.conn, cid, "victim", "Lucy", "Hartley", "1998-01-01", age_at_offence=victim_age)
        if suspect:
            add_nominal(session.conn, cid, "suspect", suspect[0], suspect[1], suspect[2], phones=phone)
        linking.relink(session.conn, [cid])
    return cid


@pytest.fixture
def case(login):
    s = login("sam")
    add_case(s, "CR/2013/000201")
    return "CR/2013/000201"

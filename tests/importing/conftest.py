"""Small hand-written exports for the import tests (synthetic names and numbers only)."""
from __future__ import annotations

import pytest

CASES_HEADER = ("crime_ref,offence_code,offence_description,offence_date,reported_date,nfa_date,outcome_code,"
                "nfa_rationale,officer_in_case,location,exhibits_retained,summary")
NOMINALS_HEADER = "crime_ref,role,surname,forenames,dob,gender,ethnicity,address,postcode,phones,vehicles"

CASES = "\n".join([
    CASES_HEADER,
    'CR/2012/100001,19D,Rape of a female aged under 16,2011-03-01,2011-04-02,2012-01-15,NFA - victim withdrew,'
    '"Victim not credible.\nMissing episodes noted.",DC 1234 Example,"Flat, Mill Road",Y,"Taken to a flat above a takeaway."',
    "CR/2016/200002,71,Abuse of children through sexual exploitation,01/02/2015,3/4/2015,20/06/2016 14:30,16,"
    "Victim withdrew support.,DC 5678 Example,Town centre,unknown,Picked up in a silver car.",
])
NOMINALS = "\n".join([
    NOMINALS_HEADER,
    "CR/2012/100001,Victim,Example,Amy,1997-06-10,F,W1,12 Mill Rd,ls1 4ab,07700 900123,",
    "CR/2012/100001,SUSPECT,Sample,Mohammed,12/05/1980,M,A2,,,+44 7700 900456; 0113 496 0123,zx51 abc",
    "CR/2016/200002,victim,Example,Beth,2001-09-30,F,W1,,,,",
    "CR/2016/200002,suspect,Sample,Muhammad,,M,,,,(07700) 900456,ZX51ABC",
])


def write(path, text: str, encoding: str = "utf-8", newline: str = "\n") -> str:
    data = text.replace("\n", newline).encode(encoding) if encoding != "utf-8-sig" else \
        b"\xef\xbb\xbf" + text.replace("\n", newline).encode("utf-8")
    path.write_bytes(data)
    return str(path)


@pytest.fixture
def export(tmp_path):
    """export(cases_text, nominals_text, encoding=…, newline=…) → (cases_path, nominals_path)."""
    def _make(cases: str = CASES, nominals: str = NOMINALS, encoding: str = "utf-8", newline: str = "\n",
              folder: str = "export"):
        d = tmp_path / folder
        d.mkdir(exist_ok=True)
        return (write(d / "cases.csv", cases, encoding, newline), write(d / "nominals.csv", nominals, encoding, newline))
    return _make


def everything(s) -> dict:
    """Every row of every table in the vault (FTS shadow tables too), and what TEMP holds."""
    tables = [r[0] for r in s.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out = {t: sorted(map(repr, (tuple(r) for r in s.query(f'SELECT * FROM "{t}"')))) for t in tables}
    out["schema"] = sorted(tuple(r) for r in s.query("SELECT type, name, sql FROM sqlite_master"))
    out["temp"] = [tuple(r) for r in s.query("SELECT name FROM temp.sqlite_master")]
    return out


def count(session, table: str) -> int:
    return session.one(f"SELECT count(*) FROM {table}")[0]


def import_entries(session) -> list:
    return [dict(r) for r in session.query("SELECT action, kind, case_ref, detail FROM audit WHERE action LIKE 'import%' ORDER BY seq")]


def cancel_as_statement_starts(session, files, prefix: str) -> list[str]:
    """Run an import whose cancel is set as the first statement starting with `prefix` begins (heard
    by SQLite's progress handler inside it); asserts it was cancelled and returns every statement run."""
    import threading

    from triage_app import importing
    from triage_app.importing import Cancelled
    stop, statements = threading.Event(), []

    def traced(sql):
        statements.append(sql)
        if sql.startswith(prefix):
            stop.set()
    session.conn.set_trace_callback(traced)
    try:
        with pytest.raises(Cancelled):
            importing.run(session, *files, cancel=stop)
    finally:
        session.conn.set_trace_callback(None)
    return statements

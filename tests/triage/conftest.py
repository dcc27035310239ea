"""Hand-made cases for triage and linking tests, written as the importer writes them.

Every name, date, phone and plate here is synthetic (Ofcom drama numbers, made-up marks).
"""
from __future__ import annotations

import json

import pytest

from triage_app.audit import utc_now
from triage_app.linking import normalise

_counter = {"n": 0}


def add_case(conn, ref: str, nfa_date: str = "2014-05-01", **fields) -> int:
    now = utc_now()
    cols = {"ref": ref, "nfa_date": nfa_date, "imported_at": now, "updated_at": now, **fields}
    cur = conn.execute(f"INSERT INTO cases({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                       list(cols.values()))
    return cur.lastrowid


def add_nominal(conn, case_id: int, role: str, forenames: str | None = None, surname: str | None = None,
                dob: str | None = None, phones: str | None = None, vehicles: str | None = None,
                address: str | None = None, postcode: str | None = None, age_at_offence: int | None = None) -> int:
    _counter["n"] += 1
    name_norm = normalise.full_name(forenames, surname)
    cur = conn.execute(
        "INSERT INTO nominals(case_id, role, surname, forenames, name_norm, dob, address, postcode, phones, vehicles, "
        "age_at_offence, natural_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (case_id, role, surname, forenames, name_norm, dob, address, postcode, phones, vehicles, age_at_offence,
         f"{role}|{name_norm}|{dob}|{_counter['n']}"))
    nid = cur.lastrowid
    idents = [("phone", p) for p in normalise.phones(phones)] + [("vehicle", v) for v in normalise.vehicles(vehicles)]
    key = normalise.address_key(address, postcode)
    if key:
        idents.append(("address", key))
    conn.executemany("INSERT OR IGNORE INTO identifiers(nominal, kind, value) VALUES (?,?,?)",
                     [(nid, k, v) for k, v in idents])
    return nid


@pytest.fixture
def conn(login):
    """The raw connection of a supervisor's session (tests write fixtures straight into the vault)."""
    return login("sam").conn


def factors(conn, ref):
    row = conn.execute("SELECT priority, priority_factors, beaconport, csarp, eligibility_why, victim_age "
                       "FROM cases WHERE ref = ?", (ref,)).fetchone()
    return {"priority": row[0], "factors": json.loads(row[1]), "beaconport": row[2], "csarp": row[3],
            "why": json.loads(row[4]), "victim_age": row[5]}


class Builder:
    def __init__(self, conn):
        self.conn = conn

    def case(self, ref, nfa_date="2014-05-01", **fields):
        return add_case(self.conn, ref, nfa_date, **fields)

    def nominal(self, case_id, role, *args, **kwargs):
        return add_nominal(self.conn, case_id, role, *args, **kwargs)

    def scored(self, ref):
        return factors(self.conn, ref)


@pytest.fixture
def build(conn):
    return Builder(conn)


def imported_vault(folder, n: int, seed: int):
    """A supervisor's session on a vault holding `generate(n, seed)` imported as the importer does."""
    from triage_app import importing
    from triage_app.demo.synthetic import generate
    from triage_app.session import create_vault
    from triage_app.vault.keyslots import CHEAP_KDF
    data = generate(n, seed=seed)
    s = create_vault(folder / "vault.db", "sam", "supervisor passphrase green oak", kdf=CHEAP_KDF)
    s.conn.execute("UPDATE users SET role = 'supervisor' WHERE name = 'sam'")
    importing.run(s, *data.write_csv(folder))
    return s

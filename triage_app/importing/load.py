"""Loading checked rows into the vault, inside the caller's transaction.

New rows are inserted in chunks with executemany; rows whose source hash is unchanged are skipped
(re-import is idempotent); changed rows are updated and the fields that changed are named (never
their values) in an alteration entry on that case. Columns a reviewer or the core maintains
(status, assigned_to, priority …) are never written here.
"""
from __future__ import annotations

from contextlib import contextmanager

from triage_app import audit
from triage_app.errors import TriageError
from triage_app.importing.validate import CASE_FIELDS, NOMINAL_FIELDS, Checked

CHUNK = 5000
BULK_FTS_FROM = 200
_CASE_COLS = ", ".join(CASE_FIELDS)
_NOMINAL_COLS = ", ".join(NOMINAL_FIELDS)
INSERT_CASE = (f"INSERT INTO cases ({_CASE_COLS}, source_hash, imported_at, updated_at) "
               f"VALUES ({', '.join('?' * (len(CASE_FIELDS) + 3))})")
UPDATE_CASE = (f"UPDATE cases SET {', '.join(f'{c} = ?' for c in CASE_FIELDS)}, source_hash = ?, updated_at = ? "
               "WHERE id = ?")
INSERT_NOMINAL = (f"INSERT INTO nominals (case_id, {_NOMINAL_COLS}, source_hash) "
                  f"VALUES ({', '.join('?' * (len(NOMINAL_FIELDS) + 2))})")
UPDATE_NOMINAL = f"UPDATE nominals SET {', '.join(f'{c} = ?' for c in NOMINAL_FIELDS)}, source_hash = ? WHERE id = ?"
INSERT_IDENTIFIER = "INSERT OR IGNORE INTO identifiers (nominal, kind, value) VALUES (?, ?, ?)"


class Cancelled(TriageError):
    """The user stopped the import; the transaction is rolled back whole."""

    def __init__(self):
        super().__init__("The import was cancelled; nothing was changed.")


def _stopper(cancel):
    if cancel is None:
        return lambda: False
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    return cancel


class _Progress:
    def __init__(self, total: int, progress, cancel):
        self.done, self.total = 0, max(total, 1)
        self.report = progress or (lambda done, total: None)
        self.stopped = _stopper(cancel)

    def step(self, n: int) -> None:
        self.done += n
        self.report(min(self.done, self.total), self.total)
        if self.stopped():
            raise Cancelled()


@contextmanager
def _fts_in_bulk(conn, top: int, n_new: int):
    """Index new cases' text in one statement instead of one trigger run per row.

    The per-row trigger costs most of a large import (SQLCipher's memory security wipes every
    allocation a trigger frame makes). Inside our transaction the trigger is dropped, the new rows
    indexed together, and the trigger re-created from its own stored SQL: DDL is transactional, so
    any failure or cancel restores it with everything else. Small imports keep the trigger.
    """
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cases_ai'").fetchone()
    if row is None or n_new < BULK_FTS_FROM:
        yield
        return
    conn.execute("DROP TRIGGER cases_ai")
    yield
    conn.execute("INSERT INTO case_text(rowid, summary, nfa_rationale) "
                 "SELECT id, summary, nfa_rationale FROM cases WHERE id > ?", (top,))
    conn.execute(row[0])


def _chunks(rows: list, size: int = CHUNK):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def load(conn, checked: Checked, user: str, progress=None, cancel=None) -> dict:
    """Write the checked rows; returns counts, the touched case ids and what changed per case."""
    now = audit.utc_now()
    tick = _Progress(len(checked.cases) + len(checked.nominals), progress, cancel)
    if tick.stopped():
        raise Cancelled()
    existing = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT ref, id, source_hash FROM cases")}
    new_cases = [r for r in checked.cases if r.ref not in existing]
    changed_cases = [r for r in checked.cases if r.ref in existing and existing[r.ref][1] != r.source_hash]
    unchanged = len(checked.cases) - len(new_cases) - len(changed_cases)

    top = conn.execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()[0]
    with _fts_in_bulk(conn, top, len(new_cases)):
        for chunk in _chunks(new_cases):
            conn.executemany(INSERT_CASE, [(*r.values, r.source_hash, now, now) for r in chunk])
            tick.step(len(chunk))
    case_id = {ref: cid for ref, (cid, _) in existing.items()}
    case_id.update({r[0]: r[1] for r in conn.execute("SELECT ref, id FROM cases WHERE id > ?", (top,))})

    changes: dict[int, dict] = {}          # case id → {"ref", "fields", "nominals_added", "nominals_changed"}
    updates = []
    for r in changed_cases:
        cid = case_id[r.ref]
        old = conn.execute(f"SELECT {_CASE_COLS} FROM cases WHERE id = ?", (cid,)).fetchone()
        fields = [f for f, a, b in zip(CASE_FIELDS, old, r.values) if a != b]
        changes[cid] = {"ref": r.ref, "fields": fields, "nominals_added": 0, "nominals_changed": []}
        updates.append((*r.values, r.source_hash, now, cid))
    for chunk in _chunks(updates):
        conn.executemany(UPDATE_CASE, chunk)
        tick.step(len(chunk))
    tick.step(unchanged)

    before = {cid for cid, _ in existing.values()}
    nom_stats = _load_nominals(conn, checked, case_id, before, changes, tick)
    touched = sorted({case_id[r.ref] for r in new_cases} | set(changes))
    for cid, ch in sorted(changes.items()):
        if ch["fields"] or ch["nominals_added"] or ch["nominals_changed"]:
            audit.append(conn, user, "import.update", "alteration", ch["ref"],
                         {"fields": ch["fields"], "nominals_added": ch["nominals_added"],
                          "nominals_changed": ch["nominals_changed"]})
    return {"cases_added": len(new_cases), "cases_updated": len(changed_cases), "cases_unchanged": unchanged,
            **nom_stats, "case_ids": touched,
            "changed": [{"case": ch["ref"], "fields": ch["fields"]} for _, ch in sorted(changes.items())
                        if ch["fields"]]}


def _load_nominals(conn, checked: Checked, case_id: dict, before: set, changes: dict, tick: _Progress) -> dict:
    if not checked.nominals:
        return {"nominals_added": 0, "nominals_updated": 0, "nominals_unchanged": 0}
    existing = {(r[0], r[1]): (r[2], r[3])
                for r in conn.execute("SELECT case_id, natural_key, id, source_hash FROM nominals")}
    top = conn.execute("SELECT coalesce(max(id), 0) FROM nominals").fetchone()[0]
    new, changed = [], []
    for r in checked.nominals:
        cid = case_id.get(r.ref)
        if cid is None:
            raise TriageError("A case named in the nominals file left the vault during the import; nothing was changed.")
        old = existing.get((cid, r.values[-1]))
        if old is None:
            new.append((cid, r))
        elif old[1] != r.source_hash:
            changed.append((cid, old[0], r))
    for chunk in _chunks(new):
        conn.executemany(INSERT_NOMINAL, [(cid, *r.values, r.source_hash) for cid, r in chunk])
        tick.step(len(chunk))
    new_ids = {(row[1], row[2]): row[0] for row in
               conn.execute("SELECT id, case_id, natural_key FROM nominals WHERE id > ?", (top,))}
    idents = []
    for cid, r in new:
        nid = new_ids[(cid, r.values[-1])]
        idents.extend((nid, kind, value) for kind, value in r.identifiers)
        if cid in before:      # a person added to a case already in the vault is a change to that case
            ch = changes.setdefault(cid, {"ref": r.ref, "fields": [], "nominals_added": 0, "nominals_changed": []})
            ch["nominals_added"] += 1
    for chunk in _chunks(idents, CHUNK * 2):
        conn.executemany(INSERT_IDENTIFIER, chunk)
    for cid, nid, r in changed:
        old = conn.execute(f"SELECT {_NOMINAL_COLS} FROM nominals WHERE id = ?", (nid,)).fetchone()
        fields = [f for f, a, b in zip(NOMINAL_FIELDS, old, r.values) if a != b]
        conn.execute(UPDATE_NOMINAL, (*r.values, r.source_hash, nid))
        conn.execute("DELETE FROM identifiers WHERE nominal = ?", (nid,))
        conn.executemany(INSERT_IDENTIFIER, [(nid, k, v) for k, v in r.identifiers])
        ch = changes.setdefault(cid, {"ref": r.ref, "fields": [], "nominals_added": 0, "nominals_changed": []})
        ch["nominals_changed"].append({"nominal": nid, "fields": fields})
    tick.step(len(checked.nominals) - len(new))
    return {"nominals_added": len(new), "nominals_updated": len(changed),
            "nominals_unchanged": len(checked.nominals) - len(new) - len(changed)}


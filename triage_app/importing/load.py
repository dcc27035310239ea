"""Loading checked rows into the vault, inside the caller's transaction.

`Loader` is the sink of a second validation pass: rows arrive one at a time (cases first, then
nominals) and are written in chunks of multi-row statements (linking.bulk), so a large export is never held in memory
whole. Rows whose source hash is unchanged are skipped (re-import is idempotent); changed rows are
updated and the fields that changed are named (never their values) in an alteration entry on that
case. Columns a reviewer or the core maintains (status, assigned_to, priority …) are never written.
"""
from __future__ import annotations

from triage_app import audit
from triage_app.errors import TriageError
from triage_app.importing.validate import CASE_FIELDS, NOMINAL_FIELDS, CaseRow, NominalRow
from triage_app.linking.bulk import insert_many

CHUNK = 5000
BULK_FTS_FROM = 200
_CASE_COLS = ", ".join(CASE_FIELDS)
_NOMINAL_COLS = ", ".join(NOMINAL_FIELDS)
INSERT_CASE = f"INSERT INTO cases ({_CASE_COLS}, source_hash, imported_at, updated_at)"
CASE_WIDTH = len(CASE_FIELDS) + 3
UPDATE_CASE = (f"UPDATE cases SET {', '.join(f'{c} = ?' for c in CASE_FIELDS)}, source_hash = ?, updated_at = ? "
               "WHERE id = ?")
INSERT_NOMINAL = f"INSERT INTO nominals (case_id, {_NOMINAL_COLS}, source_hash)"
NOMINAL_WIDTH = len(NOMINAL_FIELDS) + 2
UPDATE_NOMINAL = f"UPDATE nominals SET {', '.join(f'{c} = ?' for c in NOMINAL_FIELDS)}, source_hash = ? WHERE id = ?"
INSERT_IDENTIFIER = "INSERT OR IGNORE INTO identifiers (nominal, kind, value)"


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


class Loader:
    """Sink for `validate.check` that writes to the vault. Call `finish()` after the check."""

    def __init__(self, conn, user: str, total_rows: int, expected_new_cases: int, progress=None, cancel=None):
        self.conn, self.user = conn, user
        self.now = audit.utc_now()
        self.done, self.total = 0, max(total_rows, 1)
        self.report = progress or (lambda done, total: None)
        self.stopped = _stopper(cancel)
        if self.stopped():
            raise Cancelled()
        self.existing = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT ref, id, source_hash FROM cases")}
        self.before = {cid for cid, _ in self.existing.values()}
        self.top_case = conn.execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()[0]
        self.cases: list[CaseRow] = []
        self.nominals: list[NominalRow] = []
        self.case_id: dict[str, int] | None = None
        self.nominal_keys: dict | None = None
        self.changes: dict[int, dict] = {}      # case id → {"ref", "fields", "nominals_added", "nominals_changed"}
        self.new_case_ids: set[int] = set()
        self.counts = dict.fromkeys(("cases_added", "cases_updated", "cases_unchanged", "nominals_added",
                                     "nominals_updated", "nominals_unchanged"), 0)
        # Index new cases' text in one statement rather than one trigger run per row: the per-row
        # trigger costs most of a large import (SQLCipher's memory security wipes every allocation
        # a trigger frame makes). DDL is transactional, so a failure or cancel restores the trigger.
        row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cases_ai'").fetchone()
        self.fts_trigger = row[0] if row is not None and expected_new_cases >= BULK_FTS_FROM else None
        if self.fts_trigger:
            conn.execute("DROP TRIGGER cases_ai")

    # --- progress -----------------------------------------------------------------------------
    def _step(self, n: int) -> None:
        self.done += n
        self.report(min(self.done, self.total), self.total)
        if self.stopped():
            raise Cancelled()

    def _change(self, cid: int, ref: str) -> dict:
        return self.changes.setdefault(cid, {"ref": ref, "fields": [], "nominals_added": 0, "nominals_changed": []})

    # --- cases --------------------------------------------------------------------------------
    def case(self, row: CaseRow) -> None:
        self.cases.append(row)
        if len(self.cases) >= CHUNK:
            self._flush_cases()

    def _flush_cases(self) -> None:
        rows, self.cases = self.cases, []
        new, updates = [], []
        for r in rows:
            old = self.existing.get(r.ref)
            if old is None:
                new.append((*r.values, r.source_hash, self.now, self.now))
            elif old[1] != r.source_hash:
                prev = self.conn.execute(f"SELECT {_CASE_COLS} FROM cases WHERE id = ?", (old[0],)).fetchone()
                self._change(old[0], r.ref)["fields"] = [f for f, a, b in zip(CASE_FIELDS, prev, r.values) if a != b]
                updates.append((*r.values, r.source_hash, self.now, old[0]))
        if new:
            insert_many(self.conn, INSERT_CASE, new, CASE_WIDTH)
        if updates:
            self.conn.executemany(UPDATE_CASE, updates)
        self.counts["cases_added"] += len(new)
        self.counts["cases_updated"] += len(updates)
        self.counts["cases_unchanged"] += len(rows) - len(new) - len(updates)
        self._step(len(rows))

    def _cases_done(self) -> None:
        if self.case_id is not None:
            return
        self._flush_cases()
        if self.fts_trigger:
            self.conn.execute("INSERT INTO case_text(rowid, summary, nfa_rationale) "
                              "SELECT id, summary, nfa_rationale FROM cases WHERE id > ?", (self.top_case,))
            self.conn.execute(self.fts_trigger)
            self.fts_trigger = None
        self.case_id = {ref: cid for ref, (cid, _) in self.existing.items()}
        for ref, cid in self.conn.execute("SELECT ref, id FROM cases WHERE id > ?", (self.top_case,)):
            self.case_id[ref] = cid
            self.new_case_ids.add(cid)
        self.nominal_keys = {(r[0], r[1]): (r[2], r[3]) for r in
                             self.conn.execute("SELECT case_id, natural_key, id, source_hash FROM nominals")}

    # --- nominals -----------------------------------------------------------------------------
    def nominal(self, row: NominalRow) -> None:
        self._cases_done()
        self.nominals.append(row)
        if len(self.nominals) >= CHUNK:
            self._flush_nominals()

    def _flush_nominals(self) -> None:
        rows, self.nominals = self.nominals, []
        new, changed = [], []
        for r in rows:
            cid = self.case_id.get(r.ref)
            if cid is None:
                raise TriageError("A case named in the nominals file left the vault during the import; "
                                  "nothing was changed.")
            old = self.nominal_keys.get((cid, r.values[-1]))
            if old is None:
                new.append((cid, r))
            elif old[1] != r.source_hash:
                changed.append((cid, old[0], r))
        if new:
            top = self.conn.execute("SELECT coalesce(max(id), 0) FROM nominals").fetchone()[0]
            insert_many(self.conn, INSERT_NOMINAL, [(cid, *r.values, r.source_hash) for cid, r in new], NOMINAL_WIDTH)
            ids = {(c, k): i for i, c, k in
                   self.conn.execute("SELECT id, case_id, natural_key FROM nominals WHERE id > ?", (top,))}
            idents = []
            for cid, r in new:
                nid = ids[(cid, r.values[-1])]
                self.nominal_keys[(cid, r.values[-1])] = (nid, r.source_hash)
                idents.extend((nid, kind, value) for kind, value in r.identifiers)
                if cid in self.before:   # a person added to a case already in the vault changes that case
                    self._change(cid, r.ref)["nominals_added"] += 1
            insert_many(self.conn, INSERT_IDENTIFIER, idents, 3)
        for cid, nid, r in changed:
            prev = self.conn.execute(f"SELECT {_NOMINAL_COLS} FROM nominals WHERE id = ?", (nid,)).fetchone()
            fields = [f for f, a, b in zip(NOMINAL_FIELDS, prev, r.values) if a != b]
            self.conn.execute(UPDATE_NOMINAL, (*r.values, r.source_hash, nid))
            self.conn.execute("DELETE FROM identifiers WHERE nominal = ?", (nid,))
            insert_many(self.conn, INSERT_IDENTIFIER, [(nid, k, v) for k, v in r.identifiers], 3)
            self._change(cid, r.ref)["nominals_changed"].append({"nominal": nid, "fields": fields})
        self.counts["nominals_added"] += len(new)
        self.counts["nominals_updated"] += len(changed)
        self.counts["nominals_unchanged"] += len(rows) - len(new) - len(changed)
        self._step(len(rows))

    # --- the end ------------------------------------------------------------------------------
    def finish(self) -> dict:
        """Flush what is left and write an alteration entry per changed case; returns counts,
        the touched case ids and the changed fields per case."""
        self._cases_done()
        self._flush_nominals()
        for cid, ch in sorted(self.changes.items()):
            if ch["fields"] or ch["nominals_added"] or ch["nominals_changed"]:
                audit.append(self.conn, self.user, "import.update", "alteration", ch["ref"],
                             {"fields": ch["fields"], "nominals_added": ch["nominals_added"],
                              "nominals_changed": ch["nominals_changed"]})
        return {**self.counts, "case_ids": sorted(self.new_case_ids | set(self.changes)),
                "changed": [{"case": ch["ref"], "fields": ch["fields"]}
                            for _, ch in sorted(self.changes.items()) if ch["fields"]]}

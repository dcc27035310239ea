"""Loading the staged rows into the vault, inside the caller's transaction: a few INSERT … SELECT
and UPDATE … FROM statements over the TEMP tables that stage.py filled during the check.

New cases were written during the check (stage.py); their text goes into the full-text index in
one statement (rather than one trigger run per row), here or, in an import, beside the link
(beside.py). Changed rows are updated and the fields that changed are named (never their values)
in an alteration entry on that case. Columns a reviewer or the core maintains (status,
assigned_to, priority …) are never written.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import partial

from triage_app import audit
from triage_app.importing.beside import Beside
from triage_app.importing.progress import Cancelled, Tracker  # noqa: F401  (Cancelled: the old home)
from triage_app.importing.stage import BULK_FTS_FROM, Staging  # noqa: F401  (BULK_FTS_FROM: the old home)
from triage_app.importing.validate import CASE_FIELDS, NOMINAL_FIELDS
from triage_app.vault import indexes

# The full-text index gathers new terms in memory and writes them out as a segment whenever they pass
# its hash size (FTS5's default: 1 MiB), merging the segments again and again as they pile up: the
# fill of 100,000 cases wrote hundreds of small segments. The one bulk statement gathers up to this
# many bytes instead; the setting goes back to what it was straight after (bytes of memory while it runs).
# An import fills it beside the link's arithmetic (beside.py), where the import's memory peaks: at
# 100k cases 64 MB filled in 3.1-3.5 s and peaked at 923-957 MB; 32 MB in 4.2-4.3 s (still well inside
# the ~10 s of arithmetic) at 889-911 MB; 16 MB took 6.9 s.
FILL_HASH = 32 << 20
FTS_DEFAULT_HASH = 1 << 20
_CASE = ", ".join(CASE_FIELDS)
_NOMINAL = ", ".join(NOMINAL_FIELDS)
_CASE_S = ", ".join(f"s.{c}" for c in CASE_FIELDS)
_NOMINAL_S = ", ".join(f"s.{c}" for c in NOMINAL_FIELDS)


def apply(conn, stage: Staging, user: str, tracker: Tracker, later: Beside | None = None) -> dict:
    """Write what the check staged; returns counts, the touched case ids and the changed fields.
    A table that gets at least as many new rows as it held has its indexes made after (vault/indexes.py):
    the nominals' and identifiers' here, at the end (set aside as the check wrote the new people, or
    here for many changed ones); the cases' by the caller, after the score. With `later`, the full-text
    fill of the new cases (and, in a first import, the making of the people's indexes set aside during
    the check) is left to it (beside.py: it runs beside the link's arithmetic); without, it is done here."""
    c = stage.counts
    aside = [ix for table, rows in (("nominals", c["nominals_updated"]), ("identifiers", stage.identifier_rows))
             if indexes.worth_it(conn, table, rows) for ix in indexes.on(conn, table)]
    with indexes.set_aside(conn, aside):
        out = _apply(conn, stage, user, tracker, later)
    if later is not None and stage.nominal_indexes and not stage.before:
        # A first import: the link reads every person in one pass, needing none of them (a later import
        # reads the touched cases' people by case, through nominals_case: made here, before the link).
        later.add(lambda c, held=stage.nominal_indexes: indexes.make(c, held))
    else:
        indexes.make(conn, stage.nominal_indexes)
    stage.nominal_indexes = []
    tracker.advance(stage.staged)
    return out


def _apply(conn, stage: Staging, user: str, tracker: Tracker, later: Beside | None) -> dict:
    now = stage.now
    c = stage.counts
    done = 0
    changes: dict[int, dict] = {}      # case id → {"fields", "nominals_added", "nominals_changed"}

    def change(cid: int) -> dict:
        return changes.setdefault(cid, {"fields": [], "nominals_added": 0, "nominals_changed": []})

    # Cases: the changed ones first (their old values name the changed fields), then the new.
    if c["cases_updated"]:
        old = _pairs(conn, "cases", _CASE, "import_cases", CASE_FIELDS)
        for cid, fields in old:
            change(cid)["fields"] = fields
        conn.execute(f"UPDATE cases SET ({_CASE}, source_hash, updated_at) = ({_CASE_S}, s.source_hash, ?) "
                     "FROM import_cases s WHERE s.new = 0 AND cases.id = s.id", (now,))
        done += c["cases_updated"]
        tracker.advance(done)
    if c["cases_added"]:      # written during the check (stage.py)
        done += c["cases_added"]
        tracker.advance(done)
        if stage.fts_trigger:
            fill = partial(fill_text, first=stage.fts_from, trigger=stage.fts_trigger)
            stage.fts_trigger = None
            if later is not None:
                later.add(fill)
            else:
                fill(conn)
                tracker.advance(done)

    # Nominals, then their identifiers (a changed nominal's are replaced whole).
    if c["nominals_updated"]:
        for (cid, nid), fields in _pairs(conn, "nominals", _NOMINAL, "import_nominals", NOMINAL_FIELDS,
                                         key="t.case_id, t.id"):
            change(cid)["nominals_changed"].append({"nominal": nid, "fields": fields})
        conn.execute(f"UPDATE nominals SET ({_NOMINAL}, source_hash) = ({_NOMINAL_S}, s.source_hash) "
                     "FROM import_nominals s WHERE s.new = 0 AND nominals.id = s.id")
        conn.execute("DELETE FROM identifiers WHERE nominal IN (SELECT id FROM import_nominals WHERE new = 0)")
        done += c["nominals_updated"]
        tracker.advance(done)
    if c["nominals_added"]:    # written during the check, with their identifiers (stage.py)
        done += c["nominals_added"]
        tracker.advance(done)
    conn.execute("INSERT OR IGNORE INTO identifiers (nominal, kind, value) "
                 "SELECT nominal, kind, value FROM import_identifiers ORDER BY nominal, kind, value")
    for cid, n in stage.added_to.items():
        change(cid)["nominals_added"] = n

    # One alteration entry per case that changed, in case order (as each change is named).
    for cid, ch in sorted(changes.items()):
        if ch["fields"] or ch["nominals_added"] or ch["nominals_changed"]:
            audit.append(conn, user, "import.update", "alteration", stage.refs[cid],
                         {"fields": ch["fields"], "nominals_added": ch["nominals_added"],
                          "nominals_changed": ch["nominals_changed"]})
    return {**c, "case_ids": sorted(set(stage.new_case_ids) | set(changes)),
            "changed": [{"case": stage.refs[cid], "fields": ch["fields"]}
                        for cid, ch in sorted(changes.items()) if ch["fields"]]}


def fill_text(conn, first: int, trigger: str) -> None:
    """The new cases (ids from `first`) into the full-text index in one statement, then its trigger
    (set aside while they were written, stage.py) made again."""
    with _roomy_fts(conn):
        conn.execute("INSERT INTO case_text(rowid, summary, nfa_rationale) "
                     "SELECT id, summary, nfa_rationale FROM cases WHERE id >= ? ORDER BY id", (first,))
    conn.execute(trigger)


def _pairs(conn, table: str, columns: str, staged: str, names: tuple, key: str = "t.id"):
    """(key, [fields whose value changed]) for each staged row that replaces one in `table`."""
    n = len(names)
    sql = (f"SELECT {key}, {', '.join(f't.{x}' for x in names)}, {', '.join(f's.{x}' for x in names)} "
           f"FROM {staged} s JOIN {table} t ON t.id = s.id WHERE s.new = 0 ORDER BY s.id")
    out = []
    width = len(key.split(","))
    for row in conn.execute(sql):
        k = row[0] if width == 1 else tuple(row[:width])
        old, new = row[width:width + n], row[width + n:]
        out.append((k, [f for f, a, b in zip(names, old, new) if a != b]))
    return out


@contextmanager
def _roomy_fts(conn, hash_bytes: int = FILL_HASH):
    """The full-text index's pending-terms size raised for the block, then put back as it was (no row is
    left in its config table when there was none). A failure inside rolls the setting back with the rest."""
    row = conn.execute("SELECT v FROM case_text_config WHERE k = 'hashsize'").fetchone()
    conn.execute("INSERT INTO case_text(case_text, rank) VALUES ('hashsize', ?)", (hash_bytes,))
    yield
    conn.execute("INSERT INTO case_text(case_text, rank) VALUES ('hashsize', ?)",
                 (row[0] if row is not None else FTS_DEFAULT_HASH,))
    if row is None:
        conn.execute("DELETE FROM case_text_config WHERE k = 'hashsize'")

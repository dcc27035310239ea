"""Staging: the check's good rows that are new or changed wait in TEMP tables until the load.

The check runs inside the import's transaction with `Staging` as its sink. Each row is compared
with what the vault holds (by crime_ref, and for a nominal by its case and natural key, through
the source hash of the row last imported): an unchanged row is only counted, a new or changed one
is put in `import_cases` / `import_nominals` / `import_identifiers` with the id it will have, so
the load is a few INSERT … SELECT statements (load.py) rather than one statement per row.

TEMP tables live in memory (`temp_store = MEMORY`, vault/connection.py): staged case text is
never written to disk unencrypted. They are dropped when the import ends, whatever happens.

A new case is not staged: it goes straight into `cases` (inside the import's transaction, so a
refusal or a cancel still leaves nothing). In memory a TEMP table's pages are held until the
transaction ends, even once it is dropped: staged, the case text of a first import of 100,000
cases (~130 MB) sat under the link and the score, where the import's memory peaks. When enough new
cases come (the tests the load made before), the full-text trigger and the cases' indexes are
set aside before they are written; the load fills the full-text index in one statement, and the
caller makes the indexes again after the score. New people and their phones and vehicles go the
same way, straight into `nominals` and `identifiers` (their indexes set aside on the same test and
made again at the end of the load); only changed rows wait in TEMP, for the load to name what changed.
As the new people are written, the linker's columns of them are worked out (`ahead`, linking/ahead.py).
"""
from __future__ import annotations

from itertools import chain

from triage_app import audit
from triage_app.importing.validate import CASE_FIELDS, NOMINAL_FIELDS, CaseRow, NominalRow
from triage_app.vault import indexes

CHUNK = 2000
# Rows are written this many to a statement, INSERT … VALUES (…), (…), …, not executemany'd one
# statement per row: each statement's round through the sqlite3 module (bind, step, reset) costs
# more than its row. At 100,000 cases the check's inserts (100k cases, 249k people, 223k
# identifiers; /tmp/chk/sqlbench3.py, the same rows into a fresh vault) took 3.1-3.5 CPU s row by
# row and 2.0-2.3 s a hundred to a statement (10: 2.2-2.6, 250: 2.3).
ROWS_PER_INSERT = 100
# Below this many new cases the per-row full-text trigger is cheaper than dropping and re-making it.
BULK_FTS_FROM = 200
TABLES = ("import_cases", "import_nominals", "import_identifiers")
CASE_STAGE = ("id", "new", *CASE_FIELDS, "source_hash")
NOMINAL_STAGE = ("id", "new", "case_id", *NOMINAL_FIELDS, "source_hash")
NEW_NOMINAL = ("id", "case_id", *NOMINAL_FIELDS, "source_hash")     # a new person, as written to `nominals`


class _Insert:
    """An INSERT of rows `width` values wide: ROWS_PER_INSERT rows to a statement, the rest one by one."""

    def __init__(self, head: str, width: int):
        one = f"({', '.join('?' * width)})"
        self.one = f"{head} VALUES {one}"
        self.many = f"{head} VALUES {', '.join([one] * ROWS_PER_INSERT)}"

    def __call__(self, conn, rows: list) -> None:
        k = ROWS_PER_INSERT
        whole = len(rows) - len(rows) % k
        for i in range(0, whole, k):
            conn.execute(self.many, list(chain.from_iterable(rows[i:i + k])))
        if whole < len(rows):
            conn.executemany(self.one, rows[whole:])


class Staging:
    """The sink of the check: keeps the new and changed rows, counts the rest."""

    def __init__(self, conn, ahead=None):
        self.conn = conn
        # linking.ahead.Ahead(NEW_NOMINAL): the linker's columns of the new people, worked out as they are written
        self.ahead = ahead
        self.drop()
        # The id is the rowid (INTEGER PRIMARY KEY): no second B-tree to fill, and rows come back in id order.
        conn.execute(f"CREATE TEMP TABLE import_cases (id INTEGER PRIMARY KEY, {', '.join(CASE_STAGE[1:])})")
        conn.execute(f"CREATE TEMP TABLE import_nominals (id INTEGER PRIMARY KEY, {', '.join(NOMINAL_STAGE[1:])})")
        conn.execute("CREATE TEMP TABLE import_identifiers (nominal, kind, value)")
        self._insert_staged_cases = _Insert(f"INSERT INTO import_cases ({', '.join(CASE_STAGE)})", len(CASE_STAGE))
        self._insert_staged_nominals = _Insert(f"INSERT INTO import_nominals ({', '.join(NOMINAL_STAGE)})",
                                               len(NOMINAL_STAGE))
        self._insert_staged_identifiers = _Insert("INSERT INTO import_identifiers (nominal, kind, value)", 3)
        # What the vault holds, read once inside the import's transaction.
        self.vault_cases: dict[str, tuple] = {}      # ref → (id, offence_date, reported_date), for the check
        self.case_hash: dict[str, tuple[int, str]] = {}
        for ref, cid, h, offence, reported in conn.execute(
                "SELECT ref, id, source_hash, offence_date, reported_date FROM cases"):
            self.vault_cases[ref] = (cid, offence, reported)
            self.case_hash[ref] = (cid, h)
        self.before = {cid for cid, _ in self.case_hash.values()}
        self.case_id = {ref: cid for ref, (cid, _) in self.case_hash.items()}
        self.nominal_hash: dict[tuple[int, str], tuple[int, str]] | None = None
        self.next_case = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0]
        self.next_nominal = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM nominals").fetchone()[0]
        self.cases: list[tuple] = []                 # changed cases, for import_cases
        self.new_cases: list[tuple] = []             # new ones, as `cases` takes them
        self.nominals: list[tuple] = []
        self.identifiers: list[tuple] = []
        self.added_to: dict[int, int] = {}           # case in the vault before → nominals added to it
        self.counts = dict.fromkeys(("cases_added", "cases_updated", "cases_unchanged", "nominals_added",
                                     "nominals_updated", "nominals_unchanged"), 0)
        self.refs: dict[int, str] = {}               # staged case id → ref (for the audit entries)
        self.identifier_rows = 0                      # identifiers staged (of changed nominals)
        self.new_nominals: list[tuple] = []           # new people, written straight into `nominals`
        self.new_identifiers: list[tuple] = []        # and their identifiers, into `identifiers`
        self.nominal_indexes: list[tuple[str, str]] = []  # the nominals' and identifiers' indexes set aside
        # New cases, written straight into `cases` (see the module docstring).
        self.now = audit.utc_now()                    # their imported_at / updated_at, and the load's
        self.new_case_ids: list[int] = []
        self.fts_trigger: str | None = None           # the full-text trigger's SQL while it is set aside
        self.fts_from: int | None = None              # the first new case written without it
        self.case_indexes: list[tuple[str, str]] = [] # the cases' indexes set aside (made after the score)
        self._insert_new_cases = _Insert(
            f"INSERT INTO cases (id, {', '.join(CASE_FIELDS)}, source_hash, imported_at, updated_at)", len(CASE_FIELDS) + 4)
        self._insert_new_nominals = _Insert(f"INSERT INTO nominals ({', '.join(NEW_NOMINAL)})", len(NEW_NOMINAL))
        self._insert_new_identifiers = _Insert("INSERT OR IGNORE INTO identifiers (nominal, kind, value)", 3)

    # --- the check's sink ---------------------------------------------------------------------
    def case(self, row: CaseRow) -> None:
        old = self.case_hash.get(row.ref)
        if old is None:
            cid = self.next_case
            self.next_case += 1
            self.case_id[row.ref] = cid
            self.new_cases.append((cid, *row.values, row.source_hash, self.now, self.now))
            self.counts["cases_added"] += 1
        elif old[1] != row.source_hash:
            self.cases.append((old[0], 0, *row.values, row.source_hash))
            self.refs[old[0]] = row.ref
            self.counts["cases_updated"] += 1
        else:
            self.counts["cases_unchanged"] += 1
            return
        if len(self.cases) + len(self.new_cases) >= CHUNK:
            self._flush_cases()

    def nominal(self, row: NominalRow) -> None:
        if self.nominal_hash is None:
            self._flush_cases()
            self.nominal_hash = {(c, k): (i, h) for i, c, k, h in self.conn.execute(
                "SELECT id, case_id, natural_key, source_hash FROM nominals")} if self.before else {}
        cid = self.case_id.get(row.ref)
        if cid is None:         # its case's row had a problem: the import is refused anyway
            return
        if cid not in self.before:      # a new case's people are all new (most of a first import)
            nid = self.next_nominal
            self.next_nominal = nid + 1
            self.new_nominals.append((nid, cid, *row.values, row.source_hash))
            self.counts["nominals_added"] += 1
            new = True
        else:
            old = self.nominal_hash.get((cid, row.values[-1]))
            new = old is None
            if new:
                nid = self.next_nominal
                self.next_nominal += 1
                self.new_nominals.append((nid, cid, *row.values, row.source_hash))
                self.counts["nominals_added"] += 1
                # a person added to a case already in the vault changes that case
                self.added_to[cid] = self.added_to.get(cid, 0) + 1
                self.refs[cid] = row.ref
            elif old[1] != row.source_hash:
                nid = old[0]
                self.nominals.append((nid, 0, cid, *row.values, row.source_hash))
                self.refs[cid] = row.ref
                self.counts["nominals_updated"] += 1
            else:
                self.counts["nominals_unchanged"] += 1
                return
        ids = row.identifiers
        if ids:
            if new:
                self.new_identifiers += [(nid, kind, value) for kind, value in ids]
            else:
                self.identifiers += [(nid, kind, value) for kind, value in ids]
                self.identifier_rows += len(ids)
        if len(self.nominals) >= CHUNK or len(self.new_nominals) >= CHUNK:
            self._flush_nominals()

    # --- writing the buffers ------------------------------------------------------------------
    def _flush_cases(self) -> None:
        staged, new = self.cases, self.new_cases
        self.cases, self.new_cases = [], []
        if staged:
            self._insert_staged_cases(self.conn, staged)
        if new:
            self._bulk_if_due(new[0][0])
            self._insert_new_cases(self.conn, new)
            self.new_case_ids += [r[0] for r in new]

    def _bulk_if_due(self, first_id: int) -> None:
        """Set aside the full-text trigger, and the cases' indexes, once the new cases counted so far
        make it worth it (the same tests the load made on the final counts: this many new cases or
        more; at least as many as the vault held)."""
        added = self.counts["cases_added"]
        if self.fts_trigger is None and added >= BULK_FTS_FROM:
            row = self.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cases_ai'").fetchone()
            if row is not None:
                self.conn.execute("DROP TRIGGER cases_ai")    # DDL is transactional: a roll-back restores it
                self.fts_trigger, self.fts_from = row[0], first_id
        if not self.case_indexes and added >= indexes.FROM_ROWS and added >= len(self.before):
            self.case_indexes = indexes.on(self.conn, "cases")
            indexes.drop(self.conn, self.case_indexes)

    def _flush_nominals(self) -> None:
        if self.nominals:
            self._insert_staged_nominals(self.conn, self.nominals)
            self.nominals = []
        if self.identifiers:
            self._insert_staged_identifiers(self.conn, self.identifiers)
            self.identifiers = []
        if self.new_nominals:
            self._nominal_bulk_if_due()
            self._insert_new_nominals(self.conn, self.new_nominals)
            if self.ahead is not None:
                self.ahead.add(self.new_nominals)
            self.new_nominals = []
        if self.new_identifiers:
            # in key order (ids only grow): each lands at the end of the table's B-tree
            self.new_identifiers.sort()
            self._insert_new_identifiers(self.conn, self.new_identifiers)
            self.new_identifiers = []

    def _nominal_bulk_if_due(self) -> None:
        """Set aside the nominals' and identifiers' indexes once the new people counted so far make it
        worth it (the load's test: this many or more, at least as many as the vault held); the load
        makes them again at its end."""
        if self.nominal_indexes:
            return
        added = self.counts["nominals_added"]
        if added >= indexes.FROM_ROWS and added >= len(self.nominal_hash or ()):
            self.nominal_indexes = indexes.on(self.conn, "nominals") + indexes.on(self.conn, "identifiers")
            indexes.drop(self.conn, self.nominal_indexes)

    def flush(self) -> None:
        self._flush_cases()
        self._flush_nominals()

    @property
    def staged(self) -> int:
        c = self.counts
        return c["cases_added"] + c["cases_updated"] + c["nominals_added"] + c["nominals_updated"]

    def drop(self) -> None:
        """Free the staged rows (also after a rollback, which has already removed the tables)."""
        self.cases = self.new_cases = self.nominals = self.identifiers = self.new_nominals = self.new_identifiers = []
        for t in TABLES:
            self.conn.execute(f"DROP TABLE IF EXISTS temp.{t}")

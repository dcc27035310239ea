"""The triage queue as SQL: filters, sort orders and pages over `cases`. No Qt here, so the
benchmark and tests can use it without a screen.

Everything is done by the database with its indexes (an index per sort and direction, `INDEXES`, each
holding every column a filter tests; FTS `case_text` for words); a page is one walk of the sort's index
in order that stops at the page's end, the next page starts after the last case shown (not OFFSET), and
a search's matches are gathered once, not once per page.
"""
from __future__ import annotations

import array
import re
import sys
from dataclasses import dataclass

STATUSES = ("not_started", "in_review", "submitted", "returned", "approved")
STATUS_WORDS = {"not_started": "Not started", "in_review": "In review", "submitted": "Submitted",
                "returned": "Returned", "approved": "Approved"}

ELIGIBILITY = {  # filter key → (label, SQL)
    "beaconport": ("Beaconport eligible", "beaconport = 1"),
    "csarp": ("CSARP eligible", "csarp = 1"),
    "either": ("Beaconport or CSARP", "(beaconport = 1 OR csarp = 1)"),
    "unknown": ("Not yet known", "((beaconport IS NULL OR csarp IS NULL) AND coalesce(beaconport, 0) = 0 AND coalesce(csarp, 0) = 0)"),
    "neither": ("Neither", "(beaconport = 0 AND csarp = 0)"),
}

# Priority bands as the queue shows them. The triage weights decide the scores; these cut-offs
# only group them for the filter, so they sit with the queue, not with the scoring.
BANDS = {"high": ("High (60+)", "priority >= 60"),
         "medium": ("Medium (30–59)", "priority >= 30 AND priority < 60"),
         "low": ("Low (under 30)", "priority < 30")}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    keys: tuple[str, ...]   # the sort, term by term; "{d}" is replaced by ASC/DESC
    tip: str = ""

    @property
    def order(self) -> str:
        return ", ".join(self.keys)


# A nullable column sorted with its NULLs last is two terms, "x IS NULL ASC, x {d}": the same order as
# "x {d} NULLS LAST", in a form an index can hold (SQLite's indexes keep NULLs first). Every order
# ends in the crime ref, which is unique, so the order is total and a page can start after a row.
COLUMNS = (
    Column("priority", "Priority", ("priority {d}", "nfa_date ASC", "ref ASC"), "Triage score: higher is looked at first"),
    Column("ref", "Crime ref", ("ref {d}",)),
    Column("offence", "Offence", ("offence_code IS NULL ASC", "offence_code {d}", "ref ASC")),
    Column("victim_age", "Victim age", ("victim_age IS NULL ASC", "victim_age {d}", "priority DESC", "ref ASC"),
           "Youngest victim's age at the offence"),
    Column("nfa_date", "NFA date", ("nfa_date {d}", "ref {d}")),
    Column("outcome", "Outcome", ("outcome_code IS NULL ASC", "outcome_code {d}", "ref ASC"),
           "Home Office outcome code: point at a case's code to read what it means"),
    Column("eligibility", "Eligibility", ("beaconport IS NULL ASC", "beaconport {d}", "csarp IS NULL ASC", "csarp {d}",
                                          "priority DESC", "ref ASC"),
           "Beaconport: the NCA's Operation Beaconport reviews of child sexual exploitation cases closed with no "
           "further action. CSARP: the Child Sexual Abuse Review Panel. A name shown means the case meets that "
           "intake; 'Beaconport?' means it may, but a fact is not yet known (e.g. whether suspects are alive)."),
    Column("status", "Status", ("status {d}", "priority DESC", "ref ASC")),
)

# The index each order walks, one per sort and direction (an index read backwards gives every term
# reversed, so a sort whose tie-breaks keep their direction needs its own index for each way).
# Migrations 60, 65 and 66 make them; each also holds every column a filter tests.
INDEXES = {
    ("priority", True): "cases_queue_cover", ("priority", False): "cases_priority_up",
    ("ref", True): "cases_ref_cover", ("ref", False): "cases_ref_cover",
    ("nfa_date", True): "cases_nfa_cover", ("nfa_date", False): "cases_nfa_cover",
    ("offence", False): "cases_offence_up", ("offence", True): "cases_offence_down",
    ("victim_age", False): "cases_age_up", ("victim_age", True): "cases_age_down",
    ("outcome", False): "cases_outcome_up", ("outcome", True): "cases_outcome_down",
    ("eligibility", False): "cases_eligibility_up", ("eligibility", True): "cases_eligibility_down",
    ("status", False): "cases_status_up", ("status", True): "cases_status_down",
}
ROW_SQL = ("SELECT id, priority, ref, offence_code, offence_description, victim_age, nfa_date, outcome_code, "
           "beaconport, csarp, status, assigned_to FROM cases WHERE id IN ({marks})")


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None
    eligibility: str | None = None
    band: str | None = None
    mine: bool = False
    user: str | None = None
    text: str = ""


_WORD = re.compile(r"\w+", re.UNICODE)
_REF_LIKE = re.compile(r"^[A-Za-z0-9/_.-]*\d[A-Za-z0-9/_.-]*$")


MIN_WORD = 3
MIN_PREFIX = 4


def fts_query(text: str) -> str | None:
    """Words typed → an FTS5 query of quoted words, so no typed character is FTS syntax.

    Words under three letters are left out (they narrow nothing); three-letter words match as
    whole words ("car", "cab"), longer ones as prefixes ("taxi" finds "taxis"). A three-letter
    prefix such as "con" would pull in half the vault and cost the most to look up.
    """
    words = [w for w in _WORD.findall(text or "") if len(w) >= MIN_WORD]
    return " ".join(f'"{w}"*' if len(w) >= MIN_PREFIX else f'"{w}"' for w in words) if words else None


def where(f: QueueFilter, in_order: bool = False, hits: str | None = None, joined: bool = False) -> tuple[str, list]:
    """The filter as SQL (`in_order`: for a page, not a count; the same SQL since each page names its
    index with INDEXED BY: a filter on the index's first column, such as a status while sorted by
    status, is then a range of it, and any other is tested on each entry as the walk goes).

    Words typed are tested against `hits`, the temporary table of the cases the search matches, which
    `prepare(conn, f)` names after gathering it once per search (not once per page): whoever runs this
    SQL calls it first. `joined`: the words alone are tested by a join with the hits (`words_joined`),
    so they are left out here."""
    clauses, params = [], []
    if f.status:
        clauses.append("status = ?")
        params.append(f.status)
    if f.eligibility:
        clauses.append(ELIGIBILITY[f.eligibility][1])
    if f.band:
        clauses.append(BANDS[f.band][1])
    if f.mine:
        clauses.append("+assigned_to = ?")
        params.append(f.user or "")
    text = (f.text or "").strip()
    match = fts_query(text)
    # A lookup of each entry's id in the search's hits: the walk of the covering index in queue order
    # tests each entry and stops at the page's end.
    fts = f"EXISTS (SELECT 1 FROM temp.{hits or HITS + '_0'} h WHERE h.id = cases.id)"
    if _REF_LIKE.match(text) and len(text) >= MIN_WORD:
        # A crime reference typed from the top: a range on the unique index, not a scan.
        prefix = text.upper()
        if match:
            clauses.append(f"({fts} OR (+ref >= ? AND +ref < ?))")
        else:
            clauses.append("+ref >= ? AND +ref < ?")
        params += [prefix, prefix + "\uffff"]
    elif match and not joined:
        clauses.append(fts)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def words_joined(f: QueueFilter) -> bool:
    """Whether the words typed, alone (not a crime ref, which also matches by range), are tested by a
    join of each index entry to the hits rather than an EXISTS per entry: the same lookup, ~25 % less
    to walk (at 100k, the 'taxi' matches half-way down by NFA date: ~27 -> ~21 ms, /tmp/h40/probe.py)."""
    text = (f.text or "").strip()
    return fts_query(text) is not None and not (_REF_LIKE.match(text) and len(text) >= MIN_WORD)


HITS = "queue_hits"
# The hits of the last searches are kept (each in its own table, queue_hits_0, _1, …), so a reviewer
# going back to a word, or the same word after a filter, does not gather its matches again: 'taxi'
# is ~52,000 cases at 100,000, ~11 ms to gather. Typing a word letter by letter makes a search of
# each part of it from the third letter, so a dozen are kept, or fewer when together they hold more
# than KEEP_IDS ids (~12 bytes each in memory: ~5 MB), the longest unused let go first.
KEEP_SEARCHES = 12
KEEP_IDS = 400_000


def prepare(conn, f: QueueFilter) -> str | None:
    """The temporary table holding the ids of the cases the search words match (None: no words):
    FTS gives its matches in id order, not in queue order, so they are gathered once per search and
    every page, sort, filter and count of that search then looks ids up in them.

    Kept while nothing has been written (this connection's change count and the file's data version
    are as they were when the last hits were gathered); any write, by this connection or another, and
    every search kept is gathered again when next asked for. Only case ids and the words' query are
    held, in the connection's memory, gone when it closes (on lock)."""
    match = fts_query((f.text or "").strip())
    if match is None:
        return None
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {HITS}_of(slot INTEGER PRIMARY KEY, match TEXT, used INTEGER, n INTEGER)")
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {HITS}_stamp(changes INTEGER, version INTEGER)")
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    stamp = conn.execute(f"SELECT changes, version FROM temp.{HITS}_stamp").fetchone()
    if stamp is not None and tuple(stamp) == (conn.total_changes, version):
        held = conn.execute(f"SELECT slot, used, (SELECT max(used) FROM temp.{HITS}_of) FROM temp.{HITS}_of "
                            "WHERE match = ?", (match,)).fetchone()
        if held is not None:
            slot, used, latest = held
            if used != latest:         # the most recent search now: the last to be let go
                conn.execute(f"UPDATE temp.{HITS}_of SET used = ? WHERE slot = ?", (latest + 1, slot))
                _stamp(conn, version)
            return f"{HITS}_{slot}"
    else:                                                    # written meanwhile: none is right now
        for (slot,) in conn.execute(f"SELECT slot FROM temp.{HITS}_of").fetchall():
            conn.execute(f"DELETE FROM temp.{HITS}_{slot}")
        conn.execute(f"DELETE FROM temp.{HITS}_of")
    kept = conn.execute(f"SELECT slot, used FROM temp.{HITS}_of ORDER BY used").fetchall()
    # (A table of a search let go stays, empty, for the next search given its slot.)
    if len(kept) < KEEP_SEARCHES:
        slot = min(set(range(KEEP_SEARCHES)) - {k[0] for k in kept})
    else:
        slot = kept[0][0]                                    # the search used longest ago
    latest = max((k[1] for k in kept), default=0)
    hits = f"{HITS}_{slot}"
    # WITHOUT ROWID: the ids are the key itself, one B-tree (~13 % less to gather 20k matches than a rowid table).
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {hits}(id INTEGER PRIMARY KEY) WITHOUT ROWID")
    conn.execute(f"DELETE FROM temp.{hits}")
    before = conn.total_changes
    conn.execute(f"INSERT INTO temp.{hits}(id) SELECT rowid FROM case_text WHERE case_text MATCH ?", (match,))
    n = conn.total_changes - before
    conn.execute(f"INSERT OR REPLACE INTO temp.{HITS}_of VALUES (?, ?, ?, ?)", (slot, match, latest + 1, n))
    held = n
    for other, _used, count in conn.execute(f"SELECT slot, used, n FROM temp.{HITS}_of WHERE slot != ? "
                                            "ORDER BY used DESC", (slot,)).fetchall():
        held += count
        if held > KEEP_IDS:                                  # too many ids kept: let the older go
            conn.execute(f"DELETE FROM temp.{HITS}_{other}")
            conn.execute(f"DELETE FROM temp.{HITS}_of WHERE slot = ?", (other,))
    _stamp(conn, version)
    return hits


def _stamp(conn, version: int) -> None:
    """Note the change count and data version the kept hits answer to: the count after this note,
    which is itself one change (one row)."""
    conn.execute(f"DELETE FROM temp.{HITS}_stamp")
    conn.execute(f"INSERT INTO temp.{HITS}_stamp VALUES (?, ?)", (conn.total_changes + 1, version))


def _terms(column: str, descending: bool | None) -> tuple[Column, list[tuple[str, bool]]]:
    col = next((c for c in COLUMNS if c.key == column), COLUMNS[0])
    if descending is None:
        descending = col.key == "priority"
    terms = []
    for k in col.keys:
        expr, way = k.rsplit(" ", 1)
        terms.append((expr, way == "DESC" or (way == "{d}" and descending)))
    return col, terms


def order_by(column: str = "priority", descending: bool | None = None) -> str:
    _col, terms = _terms(column, descending)
    return " ORDER BY " + ", ".join(f"{e} {'DESC' if d else 'ASC'}" for e, d in terms)


def index_for(column: str, descending: bool | None) -> str:
    col, _terms_ = _terms(column, descending)
    return INDEXES[(col.key, col.key == "priority" if descending is None else descending)]


def page_of_ids(conn, f: QueueFilter, column: str, descending: bool | None, after: int | None, limit: int,
                backwards: bool = False, offset: int = 0, plan: tuple | None = None) -> list[int]:
    """Up to `limit` ids in queue order, from the top or from just after the case `after`.

    A page after a case starts where that case sits in the sort's index (its values looked up once),
    rather than counting past every row above it (OFFSET), so a page deep in the queue (End) costs
    what the first does. The rows after a case are, in order: those equal on every term but the last
    and after it on the last; then equal on all but the last two and after it on the last but one;
    and so on to those after it on the first term: each one range of the index.

    `backwards`: the same queue read from its last case up (every term reversed: the same index
    walked backwards), so End can show the last page without reading every page above it; `after`
    is then the case above which to start.

    `offset`: the page that many rows in (from the top, or the bottom backwards, or the case `after`).
    SQLite still walks the rows skipped, but hands none of them over: at 100,000 cases, the 50 rows
    half-way down cost ~1 ms this way and ~25 ms as the 50,000 ids above them. From a case read near
    the row wanted (`queue_model._fill_at`), it walks only the rows between.

    `plan`: what `plan_of` gave for this filter and order (forwards), to read many pages in a row
    without asking again for the search's matches (queue_ahead's worker)."""
    assert plan is None or not backwards, "a plan is the forward order's"
    source, sql_where, params, terms = plan or plan_of(conn, f, column, descending, backwards)
    if after is None:
        order = " ORDER BY " + ", ".join(f"{e} {'DESC' if d else 'ASC'}" for e, d in terms)
        return _ids(conn, f"SELECT cases.id FROM {source}{sql_where}{order} LIMIT ? OFFSET ?", [*params, limit, offset])
    values = conn.execute(f"SELECT {', '.join(e for e, _d in terms)} FROM cases WHERE id = ?", (after,)).fetchone()
    if values is None:
        return []
    values = tuple(values)
    out: list[int] = []
    for i in range(len(terms) - 1, -1, -1):
        expr, down = terms[i]
        value = values[i]
        if value is None:
            if down:
                continue            # NULLs come last going down: nothing is after a NULL
            beyond, extra = f"({expr}) IS NOT NULL", []
        else:
            beyond, extra = f"({expr}) {'<' if down else '>'} ?", [value]
        same = [f"({e}) IS ?" for e, _d in terms[:i]]
        clause = " AND ".join([*same, beyond])
        # Ordered by the terms left free: the planner does not count an expression held equal as
        # already in order, and would sort the range.
        rest = ", ".join(f"{e} {'DESC' if d else 'ASC'}" for e, d in terms[i:])
        sql = f"SELECT cases.id FROM {source}{sql_where}{' AND' if sql_where else ' WHERE'} {clause} ORDER BY {rest}"
        args = [*params, *values[:i], *extra]
        got = _ids(conn, sql + " LIMIT ? OFFSET ?", [*args, limit - len(out), offset])
        if offset and not got:
            # The rows to skip reach past this range: skip them all (counted; a tie range is short,
            # and the long last range is where the offset lands).
            offset -= conn.execute(f"SELECT count(*) FROM ({sql} LIMIT ?)", [*args, offset]).fetchone()[0]
            continue
        out += got
        offset = 0
        if len(out) >= limit:
            break
    return out


def plan_of(conn, f: QueueFilter, column: str, descending: bool | None, backwards: bool = False) -> tuple:
    """What a page walks: (its source, the filter's WHERE, its parameters, the sort's terms)."""
    hits = prepare(conn, f)
    few = _few(conn, f, hits)
    joined = not few and words_joined(f)
    sql_where, params = where(f, in_order=True, hits=hits, joined=joined)
    _col, terms = _terms(column, descending)
    if backwards:
        terms = [(e, not d) for e, d in terms]
    source = _few_source(hits) if few else f"cases INDEXED BY {index_for(column, descending)}"
    if joined:
        source += f" CROSS JOIN temp.{hits} h ON h.id = cases.id"
    return source, sql_where, params, terms


# A search that matches few cases is read from its matches (each case looked up by id, the few sorted),
# not by walking the sort's index past every case it does not match: with a handful of matches a page
# tested every entry of the index (100,000 at 100k cases, ~12 ms) and found nothing to stop it early.
FEW_HITS = 300


def _few_source(hits: str) -> str:
    return f"temp.{hits} hit CROSS JOIN cases ON cases.id = hit.id"


def _few(conn, f: QueueFilter, hits: str | None) -> bool:
    """Whether the words typed (alone: not a crime ref, which also matches by range) match few cases.
    `hits`: what `prepare` gave."""
    text = (f.text or "").strip()
    if hits is None or (_REF_LIKE.match(text) and len(text) >= MIN_WORD):
        return False
    held = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM temp.{hits} LIMIT ?)", (FEW_HITS + 1,)).fetchone()[0]
    return held <= FEW_HITS


def _ids(conn, sql: str, params: list) -> list[int]:
    """The ids a `SELECT id … ORDER BY … LIMIT ?` gives, in its order, handed over as one text of 16 hex
    digits each, made into ints in C: a Python row per id cost several times the walk itself (20,000
    ids: ~16 ms as rows, ~5 ms as "id,id,…" split and int() each; 52,198 ids: 5.5 ms that way, 0.6 ms
    this way, the SQL ~0.7 ms more). It matters most on the read-ahead's worker, where the GUI thread
    waits for the GIL while Python makes ints. A subquery with a LIMIT keeps its ORDER BY (it decides
    which rows are in), and the aggregate takes them as the subquery gives them;
    tests/gui/test_gui_queue_orders.py checks every order page by page."""
    text = conn.execute(f"SELECT group_concat(printf('%016x', id), '') FROM ({sql})", params).fetchone()[0]
    ids = array.array("q", bytes.fromhex(text or ""))
    if sys.byteorder == "little":
        ids.byteswap()
    return ids.tolist()


def matches(conn, f: QueueFilter, case_id: int) -> bool:
    """Whether this one case passes the filter: a lookup of its own row, not a walk of the queue."""
    sql_where, params = where(f, hits=prepare(conn, f))
    sql_where = (sql_where + " AND" if sql_where else " WHERE") + " id = ?"
    return conn.execute(f"SELECT 1 FROM cases{sql_where}", [*params, case_id]).fetchone() is not None


def count(conn, f: QueueFilter) -> int:
    hits = prepare(conn, f)
    sql_where, params = where(f, hits=hits)
    text = (f.text or "").strip()
    if f == QueueFilter(text=f.text, user=f.user):
        if sql_where.startswith(" WHERE EXISTS"):
            return conn.execute(f"SELECT count(*) FROM temp.{hits}").fetchone()[0]   # words only: the hits
        if _REF_LIKE.match(text) and len(text) >= MIN_WORD:
            return _count_ref(conn, text, hits)
    source = _few_source(hits) if _few(conn, f, hits) else "cases"
    return conn.execute(f"SELECT count(*) FROM {source}{sql_where}", params).fetchone()[0]


def _count_ref(conn, text: str, hits: str | None) -> int:
    """A crime ref typed, alone: the ids of the cases whose ref starts with it (a range of the unique
    index) and of those its words match (the hits), counted together. The page's SQL (`where`) tests
    "in the hits or in the range" on every case as it walks, and a count walks to the end: 'CR/2015/0'
    at 100k cases, 28-66 ms on the GUI thread (End before the pause in typing), ~1-4 ms this way.
    With another filter too, that walk stays: it tests the filter's columns on the index it walks
    (a lookup of each of the two sets' cases by id read ~18,000 wide case rows: slower)."""
    prefix = text.upper()
    found = "SELECT id FROM cases WHERE ref >= ? AND ref < ?"
    if hits is not None:
        found += f" UNION SELECT id FROM temp.{hits}"
    return conn.execute(f"SELECT count(*) FROM ({found})", [prefix, prefix + "\uffff"]).fetchone()[0]


def rows(conn, ids: list[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    sql = ROW_SQL.format(marks=",".join("?" * len(ids)))
    return {r[0]: tuple(r) for r in conn.execute(sql, ids)}


def eligibility_text(beaconport, csarp) -> str:
    parts = []
    for name, value in (("Beaconport", beaconport), ("CSARP", csarp)):
        if value == 1:
            parts.append(name)
        elif value is None:
            parts.append(name + "?")
    return " · ".join(parts) if parts else "Neither"


def eligibility_words(beaconport, csarp) -> str:
    """The same screens in words, for the case view, where there is room to say what '?' means."""
    said = {1: "eligible", 0: "not eligible", None: "not yet known"}
    return f"Beaconport: {said[beaconport]}   ·   CSARP: {said[csarp]}"

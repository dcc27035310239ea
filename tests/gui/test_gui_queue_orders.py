"""Every sort, both ways, with each kind of filter, gives the same cases in the same order as a plain
query: the ORDER BY the queue had before it had an index per sort (NULLS LAST, no INDEXED BY, no
search hits table, no paging after a case), over a generated vault full of ties and NULLs. Read a
page at a time from after the last case, the whole queue comes back, in order, once (issue 20).

A wrong index, a wrong term in a sort, or a page that starts in the wrong place fails here."""
from __future__ import annotations

import random

import pytest

from tests.conftest import PASS
from triage_app.gui import queue_query as q
from triage_app.session import open_vault

NOW = "2026-01-01T00:00:00Z"

# The orders as they were before the queue walked an index per sort: the reference.
REFERENCE = {
    "priority": "priority {d}, nfa_date ASC, ref ASC",
    "ref": "ref {d}",
    "offence": "offence_code {d} NULLS LAST, ref ASC",
    "victim_age": "victim_age {d} NULLS LAST, priority DESC, ref ASC",
    "nfa_date": "nfa_date {d}, ref {d}",
    "outcome": "outcome_code {d} NULLS LAST, ref ASC",
    "eligibility": "beaconport {d} NULLS LAST, csarp {d} NULLS LAST, priority DESC, ref ASC",
    "status": "status {d}, priority DESC, ref ASC",
}
FILTERS = [
    q.QueueFilter(),
    q.QueueFilter(status="not_started"),
    q.QueueFilter(status="returned", eligibility="either"),
    q.QueueFilter(eligibility="unknown"),
    q.QueueFilter(band="medium"),
    q.QueueFilter(mine=True, user="rita"),
    q.QueueFilter(text="taxi"),
    q.QueueFilter(text="flat consent", status="in_review", band="high"),
    q.QueueFilter(text="CR/2019/1"),
    q.QueueFilter(text="CR/2018/55"),        # its words only: cases whose summary names an older case
    q.QueueFilter(text="CR/2019/2"),         # its range and its words (some summaries say "CR/2019/2")
]
WORDS = ["taxi", "flat", "consented", "hotel", "school", "phone", "car", "shop", "care", "night"]
PAGE = 37   # small, so the queue is read in many pages and many pages start inside a run of ties


def _seed(path, n=700):
    rnd = random.Random(20)
    s = open_vault(path, "ada", PASS["ada"])
    with s.change("import", "test.seed", kind="collection"):
        for i in range(n):
            s.conn.execute(
                "INSERT INTO cases(ref, offence_code, offence_description, nfa_date, outcome_code, summary,"
                " nfa_rationale, imported_at, updated_at, priority, status, assigned_to, beaconport, csarp,"
                " victim_age) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (f"CR/2019/{rnd.randrange(10**6):06d}-{i}", rnd.choice(["19C", "19D", "22A", "71", None]), "offence",
                 rnd.choice(["2011-03-02", "2012-06-11", "2013-01-20"]), rnd.choice(["16", "14", "15", None]),
                 " ".join(rnd.sample(WORDS, 3)) + ("" if i % 40 else " as in CR/2019/2" if i % 80 else " as in CR/2018/55"),
                 " ".join(rnd.sample(WORDS, 2)), NOW, NOW,
                 rnd.choice([0, 5, 30, 45, 59, 60, 90]),
                 rnd.choice(["not_started", "not_started", "in_review", "submitted", "returned", "approved"]),
                 rnd.choice([None, None, "rita", "rob"]), rnd.choice([1, 0, None]), rnd.choice([1, 0, None]),
                 rnd.choice([13, 14, 15, None])))
    s.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    from triage_app.session import create_vault
    from triage_app.vault.keyslots import CHEAP_KDF
    from triage_app import users
    path = tmp_path_factory.mktemp("orders") / "vault.db"
    s = create_vault(path, "ada", PASS["ada"], kdf=CHEAP_KDF)
    users.add_user(s, "rita", "reviewer", PASS["rita"])
    s.close()
    _seed(path)
    s = open_vault(path, "rita", PASS["rita"])
    yield s
    s.close()


def _reference(conn, f: q.QueueFilter, column: str, descending: bool) -> list[int]:
    clauses, params = [], []
    if f.status:
        clauses.append("status = ?")
        params.append(f.status)
    if f.eligibility:
        clauses.append(q.ELIGIBILITY[f.eligibility][1])
    if f.band:
        clauses.append(q.BANDS[f.band][1])
    if f.mine:
        clauses.append("assigned_to = ?")
        params.append(f.user)
    match = q.fts_query(f.text)
    fts = "id IN (SELECT rowid FROM case_text WHERE case_text MATCH ?)"
    if f.text.startswith("CR/"):
        clauses.append(f"({fts} OR (ref >= ? AND ref < ?))" if match else "ref >= ? AND ref < ?")
        params += ([match] if match else []) + [f.text, f.text + "\uffff"]
    elif match:
        clauses.append(fts)
        params.append(match)
    sql = ("SELECT id FROM cases" + (" WHERE " + " AND ".join(clauses) if clauses else "")
           + " ORDER BY " + REFERENCE[column].replace("{d}", "DESC" if descending else "ASC"))
    return [r[0] for r in conn.execute(sql, params)]


def _paged(conn, f, column, descending, most=10**4, backwards=False) -> list[int]:
    """The queue a page at a time, each from after the last case; stops past `most` cases (a page
    that starts on its own last case would otherwise go round for ever). `backwards`: from the last
    case up, as End reads it."""
    out = q.page_of_ids(conn, f, column, descending, None, PAGE, backwards)
    while len(out) <= most:
        more = q.page_of_ids(conn, f, column, descending, out[-1], PAGE, backwards) if out else []
        out += more
        if len(more) < PAGE:
            break
    return out


@pytest.fixture(params=["index", "matches"])
def read_by(request, monkeypatch):
    """Each search read both ways: by walking the sort's index testing each case (many matches) and
    from its matches, looked up and sorted (few matches: `FEW_HITS`)."""
    monkeypatch.setattr(q, "FEW_HITS", 0 if request.param == "index" else 10**6)
    return request.param


def test_the_reference_covers_every_sort():
    assert set(REFERENCE) == {c.key for c in q.COLUMNS}


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("column", list(REFERENCE))
def test_every_sort_and_filter_gives_the_plain_query_s_cases_in_its_order(seeded, column, descending, read_by):
    conn = seeded.conn
    for f in FILTERS:
        want = _reference(conn, f, column, descending)
        assert want, (f, "the generated vault should give every filter some cases")
        assert q.page_of_ids(conn, f, column, descending, None, PAGE) == want[:PAGE], (f, column, descending)
        got = _paged(conn, f, column, descending, most=len(want))
        assert got == want, (f, column, descending)
        # Read from the last case up (End), page after page: the same cases, last first.
        assert _paged(conn, f, column, descending, most=len(want), backwards=True) == want[::-1], (f, column, descending)
        # A page by its place, from the top and from the bottom (a row far down after End).
        mid = len(want) // 2
        assert q.page_of_ids(conn, f, column, descending, None, 3, offset=mid) == want[mid:mid + 3], f
        assert q.page_of_ids(conn, f, column, descending, None, 3, backwards=True, offset=mid) == \
            want[::-1][mid:mid + 3], f
        assert q.count(conn, f) == len(want), f
        # Pieces after pieces from one plan (the read ahead on the worker): the queue.
        plan, ahead = q.plan_of(conn, f, column, descending), []
        while True:
            part = q.page_of_ids(conn, f, column, descending, ahead[-1] if ahead else None, 7, plan=plan)
            ahead += part
            if len(part) < 7:
                break
        assert ahead == want, (f, column, descending)
        # A page by its place counted from a case (a far row after End, from the nearer row read),
        # down and up, with offsets that cross the ranges of tied values.
        for at in {0, len(want) // 3, len(want) - 1}:
            for skip in (0, 1, 5, len(want) // 4):
                down = want[at + 1 + skip:at + 4 + skip]
                assert q.page_of_ids(conn, f, column, descending, want[at], 3, offset=skip) == down, (f, at, skip)
                up = want[:at][::-1][skip:skip + 3]
                assert q.page_of_ids(conn, f, column, descending, want[at], 3, backwards=True, offset=skip) == up, \
                    (f, at, skip)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("column", list(REFERENCE))
def test_every_page_walks_its_sort_s_index_in_order(seeded, column, descending, read_by):
    """No temporary B-tree (a sort of every match) and no wide rows read: one walk of a covering index,
    for the first page and for each part of a page that starts after a case. Words that match few
    cases: read from their matches (each case by id, the few sorted), no walk of any index of cases."""
    conn = seeded.conn
    index = q.index_for(column, descending)
    for f in FILTERS:
        seen = []
        real = conn.execute

        class Spy:
            def execute(self, sql, params=()):
                if "SELECT cases.id FROM " in sql:   # a page, whole or wrapped (group_concat)
                    seen.append([r[3] for r in real("EXPLAIN QUERY PLAN " + sql, params)])
                return real(sql, params)

            def __getattr__(self, name):
                return getattr(conn, name)

        first = q.page_of_ids(Spy(), f, column, descending, None, PAGE)
        after = q.page_of_ids(Spy(), f, column, descending, first[len(first) // 2], PAGE)
        last = q.page_of_ids(Spy(), f, column, descending, None, PAGE, backwards=True)
        above = q.page_of_ids(Spy(), f, column, descending, last[len(last) // 2], PAGE, backwards=True)
        assert after and above, f
        assert len(seen) >= 4, (f, "every page's query is seen")
        few = read_by == "matches" and q._few(conn, f, q.prepare(conn, f))
        assert few == (read_by == "matches" and bool(f.text) and not f.text.startswith("CR/")), f
        for plan in seen:
            if few:
                assert "SCAN hit" in plan and any(p.startswith("SEARCH cases USING INTEGER PRIMARY KEY") for p in plan), plan
                assert not any(p.startswith("SCAN cases") for p in plan), (f, plan)
                continue
            scans = [p for p in plan if p.startswith(("SCAN cases", "SEARCH cases"))]
            assert len(scans) == 1 and f"USING COVERING INDEX {index}" in scans[0], (f, plan)
            assert not any("TEMP B-TREE" in p for p in plan), (f, plan)
            if q.words_joined(f):   # words alone: each entry of the index looked up in the hits by a join
                assert any(p.startswith("SEARCH h USING PRIMARY KEY") for p in plan), (f, plan)
                assert not any("CORRELATED" in p for p in plan), (f, plan)


def test_a_search_s_hits_are_gathered_again_after_any_write(seeded):
    conn = seeded.conn
    f = q.QueueFilter(text="taxi")
    before = q.count(conn, f)
    hits = q.prepare(conn, f)
    gathered = conn.total_changes
    q.prepare(conn, f)
    assert conn.total_changes == gathered          # the same search again: nothing gathered
    other = q.QueueFilter(text="flat")
    flats = q.count(conn, other)                   # kept too, beside 'taxi'
    case = conn.execute(f"SELECT id FROM cases WHERE id NOT IN (SELECT id FROM temp.{hits})"
                        f" AND id NOT IN (SELECT id FROM temp.{q.prepare(conn, other)}) LIMIT 1").fetchone()[0]
    conn.execute("UPDATE cases SET summary = 'taxi flat' WHERE id = ?", (case,))
    try:
        assert q.count(conn, f) == before + 1
        assert case in _paged(conn, f, "priority", True)
        assert q.count(conn, other) == flats + 1     # every search kept is gathered again after a write
    finally:
        conn.execute("UPDATE cases SET summary = 'hotel' WHERE id = ?", (case,))
    assert q.count(conn, f) == before
    assert q.count(conn, other) == flats


def test_the_last_few_searches_hits_are_kept_and_the_oldest_let_go(seeded, monkeypatch):
    """Going back to a word searched a moment ago reads its matches from the hits kept, not from the
    text index again; past `KEEP_SEARCHES` searches, the one used longest ago is gathered again."""
    monkeypatch.setattr(q, "KEEP_SEARCHES", 4)
    conn = seeded.conn
    gathers = []
    conn.set_trace_callback(lambda sql: gathers.append(sql) if "MATCH" in sql else None)
    try:
        words = ["taxi", "flat", "hotel", "school", "phone"]
        want = {w: _reference(conn, q.QueueFilter(text=w), "priority", True) for w in words}
        # A write (of nothing new) first: whatever earlier tests kept is not right any more.
        conn.execute("UPDATE cases SET status = status WHERE id = (SELECT min(id) FROM cases)")
        gathers.clear()
        for w in words[:q.KEEP_SEARCHES]:
            assert _paged(conn, q.QueueFilter(text=w), "priority", True) == want[w]
        assert len(gathers) == q.KEEP_SEARCHES
        for w in reversed(words[:q.KEEP_SEARCHES]):       # each again, latest first: none gathered
            assert _paged(conn, q.QueueFilter(text=w), "priority", True) == want[w]
            assert q.count(conn, q.QueueFilter(text=w)) == len(want[w])
        assert len(gathers) == q.KEEP_SEARCHES
        # One more: the search used longest ago (the last of the first round, not used since it was
        # made the latest) makes room for it.
        assert _paged(conn, q.QueueFilter(text=words[-1]), "priority", True) == want[words[-1]]
        assert len(gathers) == q.KEEP_SEARCHES + 1
        oldest = words[q.KEEP_SEARCHES - 1]
        for w in words[:q.KEEP_SEARCHES - 1]:
            assert _paged(conn, q.QueueFilter(text=w), "priority", True) == want[w]
        assert len(gathers) == q.KEEP_SEARCHES + 1
        assert _paged(conn, q.QueueFilter(text=oldest), "priority", True) == want[oldest]
        assert len(gathers) == q.KEEP_SEARCHES + 2
    finally:
        conn.set_trace_callback(None)


def test_an_old_vault_gets_every_sort_s_index_and_the_migration_can_run_twice(vault_path):
    """A vault from before migration 66 (the foundation's status index, none of the new ones, one of
    them made by hand already) opens with every index the queue names and without cases_status;
    the migration run again changes nothing."""
    import triage_app.gui.schema  # noqa: F401  (the queue's migrations)
    from triage_app.vault.migrations import MIGRATIONS, _statements
    _seed(vault_path, 40)
    names = set(q.INDEXES.values())
    s = open_vault(vault_path, "ada", PASS["ada"])
    for name in names - {"cases_queue_cover", "cases_nfa_cover", "cases_ref_cover", "cases_status_up"}:
        s.conn.execute(f"DROP INDEX {name}")
    s.conn.execute("CREATE INDEX cases_status ON cases(status, priority DESC)")
    s.conn.execute("DELETE FROM schema_migrations WHERE number = 66")
    s.close()
    s = open_vault(vault_path, "rita", PASS["rita"])
    try:
        def indexes():
            return {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'")}
        have = indexes()
        assert names <= have and "cases_status" not in have
        for statement in _statements(MIGRATIONS[66]):
            s.conn.execute(statement)
        assert indexes() == have
        assert len(q.page_of_ids(s.conn, q.QueueFilter(), "eligibility", False, None, 100)) == 40
    finally:
        s.close()


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_a_status_chosen_while_sorted_by_status_is_a_range_of_the_index(seeded, descending):
    """Not a walk past every case of the statuses sorted before it ('approved' sorted down comes last:
    the walk tested 90% of the vault to reach it)."""
    f = q.QueueFilter(status="approved")
    sql_where, params = q.where(f, in_order=True)
    plan = [r[3] for r in seeded.conn.execute(
        f"EXPLAIN QUERY PLAN SELECT id FROM cases INDEXED BY {q.index_for('status', descending)}{sql_where}"
        f"{q.order_by('status', descending)} LIMIT 37", params)]
    assert len(plan) == 1 and plan[0].startswith("SEARCH") and "(status=?)" in plan[0], plan


def test_searches_are_let_go_when_together_they_hold_too_many_ids(seeded, monkeypatch):
    """However few the searches, the ids kept stay under `KEEP_IDS`: the older searches are let go
    (the latest is kept, whatever its size)."""
    conn = seeded.conn
    conn.execute("UPDATE cases SET status = status WHERE id = (SELECT min(id) FROM cases)")  # forget earlier tests'
    taxi, flat = q.QueueFilter(text="taxi"), q.QueueFilter(text="flat")
    want = {f: _reference(conn, f, "priority", True) for f in (taxi, flat)}
    monkeypatch.setattr(q, "KEEP_IDS", len(want[taxi]) + len(want[flat]) - 1)
    gathers = []
    conn.set_trace_callback(lambda sql: gathers.append(sql) if "MATCH" in sql else None)
    try:
        for f, gathered in ((taxi, 1), (flat, 2), (flat, 2), (taxi, 3), (taxi, 3), (flat, 4)):
            assert _paged(conn, f, "priority", True) == want[f]
            assert len(gathers) == gathered, f
        held = [conn.execute(f"SELECT count(*) FROM temp.{q.HITS}_{i}").fetchone()[0] for i in range(q.KEEP_SEARCHES)
                if conn.execute("SELECT 1 FROM sqlite_temp_master WHERE name = ?", (f"{q.HITS}_{i}",)).fetchone()]
        assert sum(held) == len(want[flat])                 # only the latest kept; the other's table emptied
    finally:
        conn.set_trace_callback(None)

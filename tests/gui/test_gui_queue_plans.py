"""Each filter's page of the queue, in the orders the reviewer sorts by most (priority, NFA date, crime
ref), is read by walking one covering index in that order and stopping at the page's end: no
temporary B-tree of every match, no wide rows read to test a filter (issue 20: status 'not started'
sorted by NFA date built a B-tree of 67,000 cases, 2.5 s at 100k)."""
from __future__ import annotations

import pytest

from tests.conftest import PASS
from triage_app.gui import queue_query as q
from triage_app.session import open_vault

FILTERS = [q.QueueFilter(), q.QueueFilter(status="not_started"), q.QueueFilter(status="approved"),
           q.QueueFilter(eligibility="neither"), q.QueueFilter(eligibility="either"),
           q.QueueFilter(mine=True, user="rita"), q.QueueFilter(status="in_review", eligibility="csarp", mine=True, user="rita")]
SORTS = [("priority", None), ("nfa_date", False), ("nfa_date", True), ("ref", False), ("ref", True)]


@pytest.mark.parametrize("column,descending", SORTS)
def test_a_page_walks_the_covering_index_of_its_sort(vault_path, column, descending):
    s = open_vault(vault_path, "rita", PASS["rita"])
    try:
        for f in FILTERS:
            sql_where, params = q.where(f, in_order=True)
            index = q.index_for(column, descending)
            plan = [r[3] for r in s.conn.execute(
                f"EXPLAIN QUERY PLAN SELECT id FROM cases INDEXED BY {index}{sql_where}{q.order_by(column, descending)}"
                " LIMIT 500", params)]
            assert len(plan) == 1 and plan[0].startswith(f"SCAN cases USING COVERING INDEX {index}"), (f, column, plan)
            assert q.page_of_ids(s.conn, f, column, descending, None, 500) == []
    finally:
        s.close()


def test_the_nfa_date_order_breaks_ties_by_ref_the_same_way(vault_path):
    """Newest first reads the oldest-first order backwards, ties and all."""
    from tests.gui.conftest import seed_queue
    rows = [(f"CR/2019/{i:06d}", 50, f"2019-01-{1 + i % 3:02d}", "not_started", None, None, None, "s", "r")
            for i in range(12)]
    seed_queue(vault_path, rows)
    s = open_vault(vault_path, "rita", PASS["rita"])
    try:
        up = q.page_of_ids(s.conn, q.QueueFilter(), "nfa_date", False, None, 500)
        down = q.page_of_ids(s.conn, q.QueueFilter(), "nfa_date", True, None, 500)
        assert len(up) == 12 and down == list(reversed(up))
        refs = dict(s.conn.execute("SELECT id, ref FROM cases"))
        assert [refs[i] for i in up] == sorted(refs.values(), key=lambda r: (f"2019-01-{1 + int(r[-6:]) % 3:02d}", r))
    finally:
        s.close()

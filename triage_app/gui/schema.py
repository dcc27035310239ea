"""Indexes for the desktop triage queue (migration range 60–69). No Qt: the core loads this module.

Cases rows are wide (summaries and rationales live in them), so any filter the queue answers by
reading the table decrypts every page of it. This index holds every column the queue filters and
orders on, so a filter, its page of ids and its count are answered from the index alone
(bench/gui_queue.py measures it).
"""
from triage_app.vault.migrations import migration

migration(60, """
CREATE INDEX cases_queue_cover ON cases(priority DESC, nfa_date, ref, status, beaconport, csarp, assigned_to, victim_age);
""")

# The foundation's cases_queue (priority, nfa_date, ref) is a prefix of the covering index, and
# while both exist the planner may take the narrower one and then read every wide row to test a
# filter (measured: 'assigned to me' 46 ms with it, under 5 ms without).
migration(61, """
DROP INDEX IF EXISTS cases_queue;
""")

# Sorting by NFA date or by crime ref walked the priority index and sorted every match in a temporary
# B-tree (status 'not started' by NFA date: 2.5 s in bare SQL at 100,000 cases), and a filter with the
# ref order read every wide row to test it. One covering index per such sort: the page of ids is read
# from the index in queue order and the walk stops at the page's end.
migration(65, """
CREATE INDEX IF NOT EXISTS cases_nfa_cover ON cases(nfa_date, ref, priority, status, beaconport, csarp, assigned_to, victim_age);
CREATE INDEX IF NOT EXISTS cases_ref_cover ON cases(ref, priority, nfa_date, status, beaconport, csarp, assigned_to, victim_age);
""")

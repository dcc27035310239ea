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

# Every other sort, each way (issue 20): sorted by offence, victim age, outcome, eligibility or status, or
# by priority lowest first, the queue read every match (every wide row, for offence and outcome: 0.6–2 s
# at 100,000 cases) and sorted it to give one page. One index per sort and direction, in the sort's
# own terms (queue_query.COLUMNS; "x IS NULL" first where the sort puts NULLs last, which an index on x
# alone can't), each holding every column a filter tests, so a page is one walk in order that stops
# at the page's end. The foundation's cases_status(status, priority DESC) is a prefix of
# cases_status_up: dropped, as 61 dropped cases_queue, so a status count has one index to choose.
migration(66, """
CREATE INDEX IF NOT EXISTS cases_priority_up ON cases(priority, nfa_date, ref, status, beaconport, csarp, assigned_to);
CREATE INDEX IF NOT EXISTS cases_offence_up ON cases(offence_code IS NULL, offence_code, ref,
    priority, status, beaconport, csarp, assigned_to);
CREATE INDEX IF NOT EXISTS cases_offence_down ON cases(offence_code IS NULL, offence_code DESC, ref,
    priority, status, beaconport, csarp, assigned_to);
CREATE INDEX IF NOT EXISTS cases_age_up ON cases(victim_age IS NULL, victim_age, priority DESC, ref,
    status, beaconport, csarp, assigned_to);
CREATE INDEX IF NOT EXISTS cases_age_down ON cases(victim_age IS NULL, victim_age DESC, priority DESC, ref,
    status, beaconport, csarp, assigned_to);
CREATE INDEX IF NOT EXISTS cases_outcome_up ON cases(outcome_code IS NULL, outcome_code, ref,
    priority, status, beaconport, csarp, assigned_to);
CREATE INDEX IF NOT EXISTS cases_outcome_down ON cases(outcome_code IS NULL, outcome_code DESC, ref,
    priority, status, beaconport, csarp, assigned_to);
CREATE INDEX IF NOT EXISTS cases_eligibility_up ON cases(beaconport IS NULL, beaconport, csarp IS NULL, csarp,
    priority DESC, ref, status, assigned_to);
CREATE INDEX IF NOT EXISTS cases_eligibility_down ON cases(beaconport IS NULL, beaconport DESC, csarp IS NULL, csarp DESC,
    priority DESC, ref, status, assigned_to);
CREATE INDEX IF NOT EXISTS cases_status_up ON cases(status, priority DESC, ref, beaconport, csarp, assigned_to);
CREATE INDEX IF NOT EXISTS cases_status_down ON cases(status DESC, priority DESC, ref, beaconport, csarp, assigned_to);
DROP INDEX IF EXISTS cases_status;
""")

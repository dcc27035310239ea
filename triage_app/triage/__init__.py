"""Triage: explainable priority and the eligibility screens (filled in by the triage issue)."""


def rescore(conn, case_ids=None) -> None:
    """Recompute victim_age, priority, priority_factors, beaconport, csarp, eligibility_why for the
    given case ids (None: every case). Runs inside the caller's transaction."""

"""Linking cases through shared people, phones, vehicles and addresses (filled in by the linking issue)."""


def relink(conn, case_ids=None) -> None:
    """Update the links that touch the given case ids (None: all). Runs inside the caller's transaction."""

"""Reliability tests: shared helpers and the end-of-run numbers (kills, fuzz examples, failures)."""
from __future__ import annotations

from tests.reliability import tally


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    rows = tally.lines()
    if rows:
        terminalreporter.write_sep("=", "reliability numbers")
        for row in rows:
            terminalreporter.write_line(row)

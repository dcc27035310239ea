"""A relink runs with Python's cycle collector paused (its full passes over a relink's million
objects cost ~10 % of it) and gives it back as it found it."""
import gc

import pytest

from triage_app import linking
from tests.triage.conftest import imported_vault


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    s = imported_vault(tmp_path_factory.mktemp("collector"), 60, 3)
    yield s
    s.close()


def _relink_counting(s):
    seen = []

    def count(phase, info):
        if phase == "start":
            seen.append(info["generation"])
    s.conn.execute("BEGIN IMMEDIATE")
    threshold = gc.get_threshold()
    gc.callbacks.append(count)      # gc keeps its own reference to this very list
    gc.set_threshold(5)             # a collection every few allocations, were it on
    try:
        linking.relink(s.conn)
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(count)
        s.conn.execute("ROLLBACK")
    return seen


def test_no_collection_runs_during_a_relink_and_the_collector_is_back_after(vault):
    was = gc.isenabled()
    gc.enable()
    try:
        assert _relink_counting(vault) == []
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_a_collector_paused_by_the_caller_stays_paused(vault):
    was = gc.isenabled()
    gc.disable()
    try:
        _relink_counting(vault)
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()

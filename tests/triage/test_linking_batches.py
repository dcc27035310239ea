"""The linker's batches worked out two at a time (linking/batches.py): results in the batches'
order, a cancel or an error stops what has not begun, and what the batches share (the memo of
levels already worked out) is merged, never overwritten, when two threads add to it at once."""
import threading

import numpy as np
import pytest

from triage_app.linking import batches, compare


class Stop(Exception):
    pass


def test_two_batches_are_worked_on_at_once_and_come_back_in_order():
    second_done = threading.Event()

    def work(i):
        if i == 0:   # the first batch ends only once the second has: they ran side by side
            assert second_done.wait(30), "the second batch never ran beside the first"
        if i == 1:
            second_done.set()
        return i * 10

    with batches.ordered(work, range(6), at_once=2) as results:
        assert list(results) == [0, 10, 20, 30, 40, 50]


def test_a_cancel_drops_the_batches_not_begun_and_waits_for_those_under_way():
    begun, ended = [], []
    release = threading.Event()

    def work(i):
        begun.append(i)
        if i:                # the first batch comes back at once; the others are under way until released
            release.wait(30)
        ended.append(i)
        return i

    with pytest.raises(Stop):
        with batches.ordered(work, range(20), at_once=2) as results:
            for got in results:
                threading.Timer(0.2, release.set).start()   # those under way end a little later
                raise Stop   # the caller's progress hears a cancel after the first batch
    assert 2 <= len(begun) <= 3     # the first, and the one or two under way when the cancel came
    assert sorted(ended) == sorted(begun)    # none left running once the block is left
    assert not [t for t in threading.enumerate() if t.name.startswith("link batch")]


def test_an_error_in_a_batch_is_raised_in_its_place():
    def work(i):
        if i == 3:
            raise ValueError("bad batch")
        return i

    seen = []
    with pytest.raises(ValueError, match="bad batch"):
        with batches.ordered(work, range(10), at_once=2) as results:
            for got in results:
                seen.append(got)
    assert seen == [0, 1, 2]


def test_one_thread_works_the_batches_in_turn():
    order = []
    with batches.ordered(lambda i: order.append(i) or i, range(5), at_once=1) as results:
        assert list(results) == [0, 1, 2, 3, 4]
    assert order == [0, 1, 2, 3, 4]


def test_levels_two_threads_add_to_the_memo_at_once_are_all_kept_with_their_levels():
    """Another thread's batch adds its levels while this one works out its own: this one's are
    merged into the memo as it is by then, so neither's are lost."""
    compare.forget()
    memo = compare._memo("names", object())
    level = lambda codes: (codes % 7).astype(np.int8)       # a level of the two values alone
    theirs = np.array([5, 40, 41, 90], dtype=np.int64)
    ours = np.array([3, 40, 77], dtype=np.int64)

    def ours_with_theirs_meanwhile(codes):
        compare._remembered(theirs, level, memo)   # the other thread, between our read and our merge
        return level(codes)

    got = compare._remembered(ours, ours_with_theirs_meanwhile, memo)
    assert np.array_equal(got, level(ours))
    codes, levels = memo["held"]
    assert np.array_equal(codes, np.union1d(ours, theirs))
    assert np.array_equal(levels, level(codes))
    # and what is remembered is used: nothing is worked out again
    again = compare._remembered(np.array([3, 5, 90], dtype=np.int64), lambda c: pytest.fail(f"asked again: {c}"), memo)
    assert np.array_equal(again, level(np.array([3, 5, 90])))
    compare.forget()


@pytest.mark.parametrize("cores, load, want", [
    (2, (0.9, 0, 0), 2),     # only this import running: the second core is free
    (2, (1.4, 0, 0), 2),
    (2, (2.0, 0, 0), 1),     # something else keeps the other core busy
    (2, (4.6, 0, 0), 1),     # the machine overloaded: a second thread would only add work
    (8, (3.0, 0, 0), 2),
    (1, (0.0, 0, 0), 1),     # one core
    (4, None, 2),            # no load figure (Windows): two
])
def test_two_threads_only_where_a_core_is_free_for_the_second(monkeypatch, cores, load, want):
    monkeypatch.setattr(batches.os, "cpu_count", lambda: cores)
    if load is None:
        monkeypatch.delattr(batches.os, "getloadavg", raising=False)
    else:
        monkeypatch.setattr(batches.os, "getloadavg", lambda: load)
    assert batches.threads() == want


def test_a_link_scored_two_batches_at_a_time_keeps_the_pairs_and_scores_of_one_at_a_time(tmp_path, monkeypatch):
    from triage_app import linking
    from triage_app.linking import features, model as fs
    from tests.triage.conftest import imported_vault
    s = imported_vault(tmp_path, 300, 5)
    try:
        t = features.load(s.conn, None, cached=False)
        ia, ib = linking._blocked(t, None)
        model = fs.estimate(t, compare.levels(t, ia, ib)[0])
        monkeypatch.setattr(linking, "BATCH", 12)
        monkeypatch.setattr(linking, "TWO_AT_ONCE", 5)
        got = {}
        for n in (1, 2):
            monkeypatch.setattr(batches, "threads", lambda n=n: n)
            compare.forget()
            got[n] = linking._scored(model, t, ia, ib)
        assert len(ia) > 20 * 12 and len(got[1].ia) > 10
        for field in ("ia", "ib", "probability", "weight", "notes", "swapped"):
            assert np.array_equal(getattr(got[1], field), getattr(got[2], field)), field
        assert fs.items_of(model, got[1], np.arange(len(got[1].ia))) == fs.items_of(model, got[2], np.arange(len(got[2].ia)))
    finally:
        compare.forget()
        s.close()

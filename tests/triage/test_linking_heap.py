"""A relink hands the C heap's free pages back to the system when it ends (heap.py): what it freed
is not kept in the process through the score phase that follows it in an import."""
import ctypes
import sys

import pytest

from triage_app import linking
from triage_app.linking import heap


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2 ** 20


def test_a_relink_trims_the_heap_once_its_work_is_done(monkeypatch):
    calls = []
    monkeypatch.setattr(linking, "_relink", lambda conn, touched, progress, meanwhile, ahead=None: calls.append("relink") or set())
    monkeypatch.setattr(heap, "trim", lambda: calls.append("trim") or True)
    linking.relink(None, {1})
    assert calls[-2:] == ["relink", "trim"]


def test_a_relink_that_fails_or_is_cancelled_trims_too(monkeypatch):
    calls = []

    def failing(conn, touched, progress, meanwhile, ahead=None):
        calls.append("relink")
        raise KeyboardInterrupt

    monkeypatch.setattr(linking, "_relink", failing)
    monkeypatch.setattr(heap, "trim", lambda: calls.append("trim") or True)
    with pytest.raises(KeyboardInterrupt):
        linking.relink(None, {1})
    assert calls[-2:] == ["relink", "trim"]


def test_without_malloc_trim_nothing_is_done(monkeypatch):
    monkeypatch.setattr(heap, "_TRIM", False)
    assert heap.trim() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_small_allocations_go_back_to_the_system():
    libc = ctypes.CDLL(None)
    if not hasattr(libc, "malloc_trim"):
        pytest.skip("a C library without malloc_trim")
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    # 96 MB in 4 KB pieces (a page cache's size), below the mmap threshold: glibc's heap keeps them
    # when freed, pinned below a piece still in use
    blocks = [libc.malloc(4000) for _ in range(24_000)]
    for b in blocks:
        ctypes.memset(b, 1, 4000)
    pin = libc.malloc(4000)
    for b in blocks:
        libc.free(b)
    before = _rss_mb()
    assert heap.trim() is True
    after = _rss_mb()
    libc.free(pin)
    assert before - after > 48, (before, after)


@pytest.mark.parametrize("error", [TypeError, OSError, ValueError])
def test_where_the_process_has_no_c_library_to_ask_nothing_is_done(monkeypatch, error):
    # Windows: ctypes.CDLL(None) raises TypeError; the relink must go on without a trim
    def refuse(*a, **k):
        raise error("no such library")
    monkeypatch.setattr(heap, "_TRIM", None)
    monkeypatch.setattr(heap.ctypes, "CDLL", refuse)
    assert heap.trim() is False

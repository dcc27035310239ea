"""Memory a relink has freed handed back to the system when it ends.

The C allocator (glibc malloc) keeps freed small allocations for later ones rather than giving them
back, so a process's resident size only grows: after an import's link (100k cases) ~165 MB the
relink freed stayed resident under the score phase, whose own work then peaked on top of it
(957 MB, the import's peak). `trim()` asks glibc to return its free pages (malloc_trim); elsewhere
it does nothing. Not at the relink's start: what the check and load freed is reused by the
relink's own small allocations (trimmed there, the link's peak rose by ~25 MB).
"""
from __future__ import annotations

import ctypes

_TRIM = None   # the malloc_trim function, False where there is none


def _malloc_trim():
    global _TRIM
    if _TRIM is None:
        _TRIM = False
        try:
            libc = ctypes.CDLL(None)   # the process's own symbols: no file opened, no ldconfig run
            _TRIM = libc.malloc_trim
            _TRIM.argtypes, _TRIM.restype = [ctypes.c_size_t], ctypes.c_int
        except (OSError, AttributeError, TypeError, ValueError):
            _TRIM = False   # Windows: CDLL(None) is a TypeError; macOS: no malloc_trim
    return _TRIM


def trim() -> bool:
    """Hand the C heap's free pages back to the system; True when something was done (glibc)."""
    f = _malloc_trim()
    if not f:
        return False
    f(0)
    return True

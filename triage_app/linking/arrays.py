"""Distinct values of integer arrays by sorting.

numpy 2.4's np.unique of an int64 array (no inverse asked) goes through a hash table and then
sorts its output: ~1.5 s CPU for 1M codes where a sort and a mask take ~0.03 s; with the inverse
asked it argsorts, with more passes than needed. The linker asks for distinct pair codes tens of
times per relink (each chunk of blocked pairs, each comparison), so these do it with one sort.
Both give exactly what np.unique gives (sorted distinct values; the index of each value in them).
"""
from __future__ import annotations

import numpy as np


def distinct(a: np.ndarray) -> np.ndarray:
    """np.unique(a) for a 1-D array."""
    s = np.sort(a, kind="stable")
    if len(s) < 2:
        return s
    return s[np.r_[True, s[1:] != s[:-1]]]


def distinct_inverse(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(a, return_inverse=True) for a 1-D array: (sorted distinct values, index of each)."""
    order = np.argsort(a, kind="stable")
    s = a[order]
    first = np.ones(len(s), dtype=bool)
    first[1:] = s[1:] != s[:-1]
    inverse = np.empty(len(a), dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    return s[first], inverse

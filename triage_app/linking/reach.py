"""A relink compares addresses only for the pairs whose address may make them a suggestion.

An address is the costliest comparison (fuzzy token ratios of each distinct pair of addresses) and,
at 100k cases, most blocked pairs are namesakes whose names and dates already weigh so far below
the possible threshold that no address could lift them to it (30k cases: 70k of 721k pairs could
reach it with the best address level; 26k do). A pair is compared by its address only when its
weight with the best address weight could still reach the possible threshold; the others are
dropped: they would score below it and make no link. Every rule that holds a score down (model.score:
a cap, a zero) only lowers it, so the bound holds for the probability too.

Only when a model is given: estimating one (EM) learns from every blocked pair's address.
"""
from __future__ import annotations

import math

import numpy as np

from triage_app.linking import compare, model as fs
from triage_app.linking.features import Nominals

# Weights are summed in another order in the bound than in the score: a pair this close below the
# threshold (in bits) is compared anyway.
MARGIN = 1e-6


def compared(model: fs.Model, t: Nominals, ia: np.ndarray, ib: np.ndarray):
    """(ia, ib, levels, swapped) of the pairs that may reach the possible threshold, every level
    as `compare.levels` gives it."""
    lv, swapped = compare.levels(t, ia, ib, address=False)
    # without comparing any text: the same address is "exact", an address missing on either side
    # weighs nothing; only two different addresses need the fuzzy comparison (close…different)
    aa, ab = t.address[ia], t.address[ib]
    todo = (aa >= 0) & (ab >= 0) & (aa != ab)
    lv["address"][(aa >= 0) & (aa == ab)] = 0
    keep = np.flatnonzero(may_reach(model, t, ia, ib, lv, swapped, todo))
    ia, ib, swapped, todo = ia[keep], ib[keep], swapped[keep], np.flatnonzero(todo[keep])
    lv = {c: v[keep] for c, v in lv.items()}
    lv["address"][todo] = compare.address_levels(t, ia[todo], ib[todo])
    return ia, ib, lv, swapped


def may_reach(model: fs.Model, t: Nominals, ia, ib, lv: dict, swapped, todo=None) -> np.ndarray:
    """Per pair: whether some address level could give it a probability at or above possible.
    todo (bool per pair): the pairs of two different addresses, whose level is one of those below
    "exact" and not in lv yet; the other pairs' address levels are in lv. None: every pair's
    address is unknown (lv's are all missing, which weighs 0) and may be any level."""
    possible = model.thresholds["possible"]
    if possible <= 0:
        return np.ones(len(ia), dtype=bool)
    if possible >= 1:
        return np.zeros(len(ia), dtype=bool)
    floor = math.log2(possible / (1 - possible)) - MARGIN
    best = _best(model, todo)
    # first a looser bound from the levels alone (a name agreeing exactly gains at most its
    # table's largest term-frequency adjustment; the full name's adjustment is never above 0),
    # then the score's own weight for the pairs that pass it (100k cases: 1.8M of 6.8M pairs pass)
    out = _loose(model, t, lv) + best >= floor
    k = np.flatnonzero(out)
    sub = {c: v[k] for c, v in lv.items()}
    out[k] = fs.score(model, t, ia[k], ib[k], sub, swapped[k]).weight + (best[k] if np.ndim(best) else best) >= floor
    return out


def _best(model: fs.Model, todo):
    """The most an address may add to a pair's weight beyond lv's (see may_reach): per pair of
    two different addresses, the best weight below "exact"; or for all, the best weight or 0."""
    weights = model.weights("address")
    if todo is None:
        return max(0.0, float(np.max(weights)))
    return np.where(todo, float(np.max(weights[1:])), 0.0)


def _loose(model: fs.Model, t: Nominals, lv: dict) -> np.ndarray:
    """Per pair: a weight at least its score's weight (model.score) with lv's levels."""
    w = np.full(len(lv["forename"]), model.prior_weight())
    counts = fs.gender_counts(lv)
    for c in compare.COMPARISONS:
        part = np.append(model.weights(c), 0.0)[lv[c]]   # -1 (missing) weighs 0
        w += np.where(counts, part, 0.0) if c == "gender" else part
    for c in fs.TF_COMPARISONS:
        w += np.where(lv[c] == 0, max(0.0, float(np.max(model.tf_per_word(c, t)))), 0.0)
    return w

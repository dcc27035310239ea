"""The person-match model (Fellegi–Sunter): parameters, their estimation, and scoring.

Each comparison level has m = P(level | same person) and u = P(level | different people); a pair's
match weight is the prior log-odds plus log2(m/u) of each comparison's level, plus a term-frequency
adjustment when a forename or surname agrees exactly (a rare surname says more than a common one).
The probability is 2^w / (1 + 2^w).

Estimation, as Splink does it: u by comparing random pairs of nominals; m and the prior by
expectation–maximisation over the pairs the blocking rules bring together, u held fixed. Priors
(resources/linking/model.toml) weigh as a number of pairs, so a small vault leans on them.
Every estimate is a new version kept in the vault (`link_models`); each link records the version
that scored it, with every weight, so its probability can be reproduced and explained.
"""
from __future__ import annotations

import json
import math
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from triage_app.audit import utc_now
from triage_app.linking import compare
from triage_app.linking.compare import COMPARISONS, LEVELS, VETO
from triage_app.linking.features import Nominals
from triage_app.paths import resource

TF_COMPARISONS = ("forename", "surname")


@lru_cache(maxsize=1)
def settings() -> dict:
    with open(resource("linking", "model.toml"), "rb") as f:
        return tomllib.load(f)


@dataclass
class Model:
    version: int | None
    params: dict
    # per-word and per-nominal tables worked out once per table (a relink asks for them many times)
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def _remember(self, key: str, source, size: int, make):
        """make(), kept while `source` (held here, so never another object at its address) keeps `size`."""
        got = self._memo.get(key)
        if got is None or got[0] is not source or got[1] != size:
            got = self._memo[key] = (source, size, make())
        return got[2]

    @property
    def thresholds(self) -> dict:
        return self.params["thresholds"]

    @property
    def nominals(self) -> int:
        return self.params["nominals"]

    def prior_weight(self) -> float:
        lam = self.params["lambda"]
        return math.log2(lam / (1 - lam))

    def weights(self, comparison: str) -> np.ndarray:
        m, u = np.array(self.params["m"][comparison]), np.array(self.params["u"][comparison])
        return np.log2(m / u)

    def tf_weights(self, comparison: str, t: Nominals, col: np.ndarray) -> np.ndarray:
        """Per nominal: the adjustment to an exact agreement on its first forename (surname) token."""
        per_word = self.tf_per_word(comparison, t)
        return np.where(col >= 0, per_word[np.maximum(col, 0)], 0.0)

    def tf_per_word(self, comparison: str, t: Nominals) -> np.ndarray:
        """Per word of `t.words`: the adjustment to an exact agreement on it (0 for several tokens)."""
        return self._remember(f"tf {comparison}", t.words, len(t.words.values),
                              lambda: self._tf_per_word(comparison, t))

    def _tf_per_word(self, comparison: str, t: Nominals) -> np.ndarray:
        counts = self.params["tf"][comparison]
        n = self.params["nominals"]
        shrink = settings()["model"]["tf_prior"]
        u_exact = self.params["u"][comparison][0]
        words = t.words.values
        per_word = np.zeros(max(len(words), 1))
        for i, w in enumerate(words):
            if len(w) == 1:
                # A name's frequency, shrunk towards the average (u) by `tf_prior` records' worth:
                # in a small vault every name would look either unique or everywhere.
                tf = (counts.get(w[0], 1) + shrink * u_exact) / (n + shrink)
                per_word[i] = math.log2(u_exact / tf)
        return per_word

    def namesakes(self, t: Nominals) -> np.ndarray:
        """Per nominal: how many other people the vault holds under its full name (first forename
        and first surname tokens, in either order), counted as the other dates of birth recorded
        with it (0 when the name is not in the model's table)."""
        return self._remember("namesakes", t, len(t), lambda: self._namesakes(t))

    def _namesakes(self, t: Nominals) -> np.ndarray:
        return _per_fullname(t, self.params["tf"].get("fullname", {}))

    def recurring(self, t: Nominals) -> np.ndarray | None:
        """Per nominal: whether the vault holds its full name as one person seen again — on at least
        `recurring_records` records, all of them under one date of birth (or none). None when the
        model has no such counts (a model before 2026.3, or a vault too small to read its own)."""
        table = self.params["tf"].get("records")
        if table is None:
            return None
        # the table holds only the names on enough records (`_records`)
        return self._remember("recurring", t, len(t), lambda: (_per_fullname(t, table) > 0) & (self.namesakes(t) == 0))


def _per_fullname(t: Nominals, table: dict) -> np.ndarray:
    """Per nominal: the value of `table` for its full name (0 when not in it)."""
    out = np.zeros(len(t), dtype=np.int64)
    if not table or not len(t):
        return out
    keys, inverse = np.unique(np.stack([t.fore1, t.sur1], axis=1), axis=0, return_inverse=True)
    words = t.words.values
    per_key = np.array([table.get(_fullname(words, f, s), 0) for f, s in keys.tolist()], dtype=np.int64)
    return per_key[inverse.ravel()]


def _fullname(words, f: int, s: int) -> str | None:
    """The key of a full name: its two first tokens sorted (a swapped name is the same name)."""
    if f < 0 or s < 0:
        return None
    a, b = words[f][0], words[s][0]
    return f"{a} {b}" if a <= b else f"{b} {a}"


def current(conn) -> Model | None:
    row = conn.execute("SELECT version, params FROM link_models ORDER BY version DESC LIMIT 1").fetchone()
    return Model(row[0], json.loads(row[1])) if row else None


def needs_estimate(model: Model | None, nominals: int) -> bool:
    return model is None or nominals >= settings()["model"]["reestimate_growth"] * max(model.nominals, 1)


def save(conn, model: Model) -> Model:
    cur = conn.execute("INSERT INTO link_models(estimated_at, nominals, params) VALUES (?,?,?)",
                       (utc_now(), model.params["nominals"], json.dumps(model.params, sort_keys=True)))
    return Model(cur.lastrowid, model.params, model._memo)   # what it worked out so far still holds


# --- estimation --------------------------------------------------------------------------------

def em_sample(blocked: int) -> np.ndarray | None:
    """Which of `blocked` pairs EM learns on: at most `em_sample` positions, drawn at random with the
    model's seed, sorted; None for all of them. A linker compares only these pairs to estimate."""
    mc = settings()["model"]
    if blocked <= mc["em_sample"]:
        return None
    return np.sort(np.random.default_rng(mc["seed"]).choice(blocked, mc["em_sample"], replace=False))


def estimate(t: Nominals, lv: dict[str, np.ndarray], blocked: int | None = None) -> Model:
    """A new model from the vault's nominals `t` and the levels `lv` of every blocked pair, or (with
    `blocked`, their number) of the pairs `em_sample(blocked)` picks.

    m and the prior are learnt on at most `em_sample` of the blocked pairs, drawn at random (seeded),
    as Splink trains on a sample: a large vault has tens of millions of blocked pairs, and EM over
    all of them held gigabytes; below the cap every pair is used, as before."""
    cfg = settings()
    mc = cfg["model"]
    n = len(t)
    n_eff = max(n, mc["min_nominals"])
    u = _estimate_u(t, cfg)
    if blocked is None:
        blocked = len(next(iter(lv.values()))) if lv else 0
        pick = em_sample(blocked)
        if pick is not None:
            lv = {c: v[pick] for c, v in lv.items()}
    scale = 1.0      # blocked pairs per pair EM sees (the prior counts every blocked pair)
    if blocked > mc["em_sample"]:
        scale = blocked / mc["em_sample"]
    m = {c: list(cfg["m"][c]) for c in COMPARISONS}
    # The prior odds scale with the vault: each record has a handful of other records of the same
    # person however large the vault, so the chance that two records match is matches per record
    # over the records it could match. EM learns m with these odds held (left free, at scale they
    # drift up until the "matches" are every pair of namesakes the blocking brought together, and
    # m follows them: a date of birth years apart then weighs nothing); the matches per record are
    # then read from the learnt model (the expected matches among the blocked pairs, once).
    lam = mc["matches_per_record"] / (n_eff - 1)
    total_pairs = n * (n - 1) / 2
    # per comparison, each pair's level with the pairs it does not count for sent to an extra slot
    # (weight 0, count dropped): the same sums in the same order as masking them out each round
    counted = {c: _slots(lv[c], lv[c] >= 0) for c in COMPARISONS}
    weighed = {c: _slots(lv[c], (lv[c] >= 0) & gender_counts(lv)) if c == "gender" else counted[c]
               for c in COMPARISONS}
    pairs = len(next(iter(lv.values()))) if lv else 0
    for _ in range(mc["em_iterations"]):
        p = _posterior_of(lam, m, u, weighed, pairs)
        for c in COMPARISONS:
            got = np.bincount(counted[c], weights=p, minlength=_SPARE + 1)[:len(LEVELS[c])]
            prior = np.array(cfg["m"][c])
            m[c] = ((got + mc["m_weight"] * prior) / (got.sum() + mc["m_weight"])).tolist()
    if n >= mc["min_nominals"] and total_pairs:
        lo, hi = mc["matches_per_record_range"]
        per_record = _posterior_of(lam, m, u, weighed, pairs).sum() * scale / total_pairs * (n - 1)
        lam = float(min(max(per_record, lo), hi) / (n - 1))
    tf = {c: _tf(t, c) for c in TF_COMPARISONS}
    tf["fullname"] = _namesakes(t)
    if n >= mc["min_nominals"]:
        tf["records"] = _records(t, mc["recurring_records"])
    params = {"lambda": lam, "m": m, "u": u, "tf": tf, "nominals": n, "thresholds": dict(cfg["thresholds"]),
              "priors": mc["version"], "levels": {c: list(LEVELS[c]) for c in COMPARISONS}}
    return Model(None, params)


_SPARE = 127   # a slot past every comparison's levels: weighs 0 and is never counted


def _slots(levels: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Per pair: its level where `counts`, else _SPARE (as indexes)."""
    return np.where(counts, levels, _SPARE).astype(np.intp)


def _posterior_of(lam: float, m: dict, u: dict, slots: dict, pairs: int) -> np.ndarray:
    """P(match) of each of `pairs` pairs from each comparison's `_slots`, under prior `lam` and
    parameters m, u (`_posterior`, the same sums in the same order)."""
    w = np.full(pairs, math.log2(lam / (1 - lam)))
    for c in COMPARISONS:
        weights = np.zeros(_SPARE + 1)
        weights[:len(LEVELS[c])] = np.log2(np.array(m[c]) / np.array(u[c]))
        w += weights[slots[c]]
    return 1 / (1 + np.exp2(-np.clip(w, -60, 60)))


def _posterior(lam: float, m: dict, u: dict, lv: dict) -> np.ndarray:
    """P(match) of each pair of levels `lv` under prior `lam` and parameters m, u."""
    w = np.full(len(next(iter(lv.values()))) if lv else 0, math.log2(lam / (1 - lam)))
    for c in COMPARISONS:
        weights = np.log2(np.array(m[c]) / np.array(u[c]))
        known = lv[c] >= 0
        if c == "gender":
            known &= gender_counts(lv)
        w[known] += weights[lv[c][known]]
    return 1 / (1 + np.exp2(-np.clip(w, -60, 60)))


def gender_counts(lv: dict) -> np.ndarray:
    """Pairs whose gender comparison weighs: forenames that agree (the same or variants) already
    say the gender (a forename's frequency is its frequency among people of that gender), so
    there the gender's agreement would count the same evidence twice."""
    f = lv["forename"]
    return (f < 0) | (f > LEVELS["forename"].index("variant"))


def _estimate_u(t: Nominals, cfg: dict) -> dict[str, list[float]]:
    mc = cfg["model"]
    n = len(t)
    rng = np.random.default_rng(mc["seed"])
    if n * (n - 1) // 2 <= mc["u_sample"]:
        ia, ib = np.triu_indices(n, 1)
    else:
        ia = rng.integers(0, n, mc["u_sample"])
        ib = rng.integers(0, n, mc["u_sample"])
    ia, ib = ia.astype(np.int64), ib.astype(np.int64)
    keep = t.case[ia] != t.case[ib] if n else np.zeros(0, dtype=bool)
    ia, ib = ia[keep], ib[keep]
    lv, _ = compare.levels(t, ia, ib)
    out = {}
    for c in COMPARISONS:
        known = lv[c] >= 0
        got = np.bincount(lv[c][known], minlength=len(LEVELS[c])).astype(float)
        prior = np.array(cfg["u"][c])
        u = (got + mc["u_weight"] * prior) / (got.sum() + mc["u_weight"])
        out[c] = np.maximum(u, 1e-9).tolist()
    return out


def _tf(t: Nominals, comparison: str) -> dict[str, int]:
    """Counts of first forename (surname) tokens seen at least twice."""
    col = t.fore1 if comparison == "forename" else t.sur1
    ids, first, per_id = np.unique(col[col >= 0], return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")      # the tokens in the order the rows first name them
    words = t.words.values
    counts = Counter()
    for i, k in zip(ids[order].tolist(), per_id[order].tolist()):
        counts[words[i][0]] += k
    return {w: k for w, k in counts.items() if k >= 2}


def _rows_in_order(cols: list[np.ndarray]) -> tuple[np.ndarray, list[int]] | None:
    """One int64 per row that orders the rows as their columns (each >= 0) do, first column first,
    and each column's width (its largest value + 1); None when the key would not fit in an int64."""
    widths = [int(c.max()) + 1 if len(c) else 1 for c in cols]
    if math.prod(widths) >= 2 ** 63:
        return None
    key = np.zeros(len(cols[0]), dtype=np.int64)
    for c, w in zip(cols, widths):
        key = key * w + c.astype(np.int64)
    return key, widths


def _distinct_rows(cols: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of the columns (each >= 0), sorted, one array per column, and how often
    each occurs: np.unique(np.stack(cols, axis=1), axis=0, return_counts=True), by columns, but
    sorting one int64 key per row (at 100k cases ~0.3 s less per call than sorting rows)."""
    got = _rows_in_order(cols)
    if got is None:
        rows, counts = np.unique(np.stack([c.astype(np.int64) for c in cols], axis=1), axis=0, return_counts=True)
        return [rows[:, j] for j in range(len(cols))], counts
    key, widths = got
    key, counts = np.unique(key, return_counts=True)
    columns = []
    for w in reversed(widths):
        key, c = np.divmod(key, w)
        columns.append(c)
    return columns[::-1], counts


def _namesakes(t: Nominals) -> dict[str, int]:
    """Full names recorded with more than one date of birth → the number of dates less one (other
    people of that name). Dates, not records, are counted: a man on five cases is one person."""
    dated = (t.dob > 0) & (t.fore1 >= 0) & (t.sur1 >= 0)
    if not dated.any():
        return {}
    (f, s, _), _ = _distinct_rows([t.fore1[dated], t.sur1[dated], t.dob[dated]])
    (f, s), dates = _distinct_rows([f, s])     # how many dates each (forename, surname) has
    return {k: v - 1 for k, v in _per_name(t.words.values, f, s, dates, 2).items()}


def _records(t: Nominals, least: int) -> dict[str, int]:
    """Full names recorded on at least `least` records → the number of records."""
    named = (t.fore1 >= 0) & (t.sur1 >= 0)
    if not named.any():
        return {}
    (f, s), counts = _distinct_rows([t.fore1[named], t.sur1[named]])
    return _per_name(t.words.values, f, s, counts, least)   # a swapped name is the same name


def _per_name(words: list, f: np.ndarray, s: np.ndarray, k: np.ndarray, least: int) -> dict[str, int]:
    """The sum of k per full name (`_fullname`) of the rows (f, s) (word ids, each >= 0), the names
    whose sum is at least `least`, in the order the rows first name them: as adding k to a Counter
    row by row, but with each first token's rank among the tokens standing for its string (tokens
    hold no space, names.clean_tokens: the two ranks sorted are the name) and only the names kept
    made into strings (at 100k cases ~190k rows, ~20-40k names kept)."""
    if not len(f):
        return {}
    ids = np.unique(np.concatenate([f, s]))
    tokens = [words[i][0] for i in ids.tolist()]
    ordered = sorted(set(tokens))
    rank_of = {w: r for r, w in enumerate(ordered)}
    rank = np.zeros(int(ids[-1]) + 1, dtype=np.int64)
    rank[ids] = [rank_of[w] for w in tokens]
    ra, rb = rank[f], rank[s]
    name = np.minimum(ra, rb) * len(ordered) + np.maximum(ra, rb)
    names, first, which = np.unique(name, return_index=True, return_inverse=True)
    sums = np.zeros(len(names), dtype=np.int64)
    np.add.at(sums, which.ravel(), k)
    kept = np.flatnonzero(sums >= least)
    kept = kept[np.argsort(first[kept], kind="stable")]
    lo, hi = np.divmod(names[kept], len(ordered))
    return {f"{ordered[a]} {ordered[b]}": v for a, b, v in zip(lo.tolist(), hi.tolist(), sums[kept].tolist())}


# --- scoring ---------------------------------------------------------------------------------

@dataclass
class Scores:
    weight: np.ndarray                  # total match weight per pair
    probability: np.ndarray
    levels: dict[str, np.ndarray]
    swapped: np.ndarray
    notes: np.ndarray = None            # per pair: 0, or why it was held below strong (NOTES)
    ia: np.ndarray = None               # the pairs' nominals (for the term frequencies)
    ib: np.ndarray = None
    model: "Model" = None
    t: Nominals = None

    def parts(self, c: str, ks: np.ndarray) -> np.ndarray:
        """Comparison c's weight of each pair in ks (0 when missing)."""
        w = _with_missing(self.model.weights(c))[self.levels[c][ks]]
        if c == "gender":
            w = np.where(gender_counts({"forename": self.levels["forename"][ks]}), w, 0.0)
        return w

    def tf(self, c: str, ks: np.ndarray) -> np.ndarray:
        """Name comparison c's term-frequency adjustment of each pair in ks."""
        per_word = {x: self.model.tf_per_word(x, self.t) for x in TF_COMPARISONS}
        return _tf_adjust(c, per_word, self.t, self.ia[ks], self.ib[ks], self.levels[c][ks], self.swapped[ks])


    def fullname(self, ks: np.ndarray) -> np.ndarray:
        """The full-name adjustment of each pair in ks."""
        per_word = {x: self.model.tf_per_word(x, self.t) for x in TF_COMPARISONS}
        lv = {c: self.levels[c][ks] for c in TF_COMPARISONS}
        return _fullname_adjust(self.model, per_word, self.model.namesakes(self.t), self.t, self.ia[ks],
                                self.ib[ks], lv, self.swapped[ks])


def _fullname_adjust(model: Model, per_word: dict, namesakes: np.ndarray, t: Nominals, ia, ib, lv, swapped):
    """Where both names agree exactly: the weight of the full name beyond its two names' (≤ 0).

    The names' term frequencies take a forename and a surname as independent, which common
    pairings are not (Mohammed Khan): the chance that two different people share the full name is
    the share of the vault's other people under it, when that is larger than the product of the
    two names' frequencies. Both, like the names' own, shrunk towards the product by `tf_prior`."""
    both = (lv["forename"] == 0) & (lv["surname"] == 0)
    out = np.zeros(len(ia))
    if not both.any():
        return out
    k = np.flatnonzero(both)
    n = model.params["nominals"]
    shrink = settings()["model"]["tf_prior"]
    # the two names' frequencies as their term-frequency adjustments took them
    indep = np.ones(len(k))
    for c in TF_COMPARISONS:
        adj = _tf_adjust(c, per_word, t, ia[k], ib[k], np.zeros(len(k), dtype=np.int8), swapped[k])
        indep *= model.params["u"][c][0] / np.exp2(adj)
    others = np.maximum(namesakes[ia[k]], namesakes[ib[k]])
    joint = (others + shrink * indep) / (n + shrink)
    out[k] = np.minimum(0.0, np.log2(indep / joint))
    return out


def _with_missing(weights: np.ndarray) -> np.ndarray:
    """The weights with a 0 appended: indexed by a level, -1 (missing) gives 0."""
    return np.append(weights, 0.0)


def _tf_adjust(c: str, per_word: dict, t: Nominals, ia, ib, lv, swapped) -> np.ndarray:
    """Comparison c's term-frequency adjustment where its names agree exactly (level 0).

    The value that agreed is read on both records, and the more common reading counts: names
    agreeing through their tokens joined ("micha el" / "michael") have two first tokens; names
    agreeing crossed (forename against surname: "Khan Mohammed" / "Mohammed Khan") have a token
    that is a forename on one record and a surname on the other, so its frequency in either field
    may be the right one. Whichever record comes first, a pair gets the same adjustment."""
    other = "surname" if c == "forename" else "forename"
    mine, theirs = (t.fore1, t.sur1) if c == "forename" else (t.sur1, t.fore1)
    # the value that agreed: a's token of this comparison, and b's (its other field when swapped)
    col_a = mine[ia]
    col_b = np.where(swapped, theirs[ib], mine[ib])
    big = np.inf
    out = np.full(len(ia), big)
    for col in (col_a, col_b):
        known = col >= 0
        idx = np.maximum(col, 0)
        out = np.minimum(out, np.where(known, per_word[c][idx], big))
        # crossed: the token is also read in the other field's table
        out = np.minimum(out, np.where(known & swapped, per_word[other][idx], big))
    out[~np.isfinite(out)] = 0.0
    return np.where(lv == 0, out, 0.0)


# Why a pair's probability was held below the strong threshold (an item of its explanation).
NOTES = (None, ("dob", "years_apart_cap"), ("dob", "ambiguous"), ("dob", "names_only"), ("dob", "names_alone"))
# Where a rule holds a pair below strong, its probability is at most this (a possible match).
CAP = 0.9


# Pairs scored at a time: the per-comparison weights of every pair never all exist at once.
CHUNK = 1 << 20


def score(model: Model, t: Nominals, ia: np.ndarray, ib: np.ndarray, lv: dict, swapped: np.ndarray,
          ambiguous: bool = True) -> Scores:
    """The pairs' weights and probabilities. `ambiguous=False` leaves out the one rule that reads
    more than a pair (`hold_ambiguous`: every strong match of a record without a date of birth):
    a linker scoring a batch of pairs at a time applies it once to all the batches' pairs kept."""
    w = np.zeros(len(ia))
    weights = {c: _with_missing(model.weights(c)) for c in COMPARISONS}
    per_word = {c: model.tf_per_word(c, t) for c in TF_COMPARISONS}
    namesakes = model.namesakes(t)
    for lo in range(0, len(ia), CHUNK):
        k = slice(lo, lo + CHUNK)
        wk = np.full(len(ia[k]), model.prior_weight())
        for c in COMPARISONS:
            part = weights[c][lv[c][k]]
            wk += np.where(gender_counts({"forename": lv["forename"][k]}), part, 0.0) if c == "gender" else part
        for c in TF_COMPARISONS:
            wk += _tf_adjust(c, per_word, t, ia[k], ib[k], lv[c][k], swapped[k])
        wk += _fullname_adjust(model, per_word, namesakes, t, ia[k], ib[k], {c: lv[c][k] for c in TF_COMPARISONS},
                               swapped[k])
        w[k] = wk
    p = 1 / (1 + np.exp2(-np.clip(w, -60, 60)))
    # Namesakes born years apart stay apart whatever the names: only where they also share the very
    # same postcode or address, a phone or a vehicle (a date keyed wrong, not another person) may the
    # rest outweigh the dates. Neighbours (a postcode a character apart, a similar address) may not.
    # Even then two records born years apart are at most a possible match, saying so: a father
    # and son of one name at one address are two people unless a reviewer confirms otherwise.
    apart = lv[VETO[0]] == VETO[1]
    p[zeroed(lv)] = 0.0
    notes = np.zeros(len(ia), dtype=np.int8)
    cap = model.thresholds.get("years_apart", CAP)
    held = apart & (p > cap)
    p[held] = cap
    notes[held] = 1
    # Names alone are never a strong match: without a date of birth the same or a slip apart, an
    # address, a postcode, a phone or a vehicle in common, two records of one name may be namesakes
    # however rare the name looks, and in a large vault many are.
    alone = ~corroborated(lv)
    held = alone & (p > cap)
    p[held] = cap
    notes[held & (notes == 0)] = 3
    _hold_names_alone(model, t, ia, ib, alone, p, notes)
    if ambiguous:
        _hold_ambiguous(model, t, ia, ib, p, notes)
    return Scores(w, p, lv, swapped, notes, ia, ib, model, t)


def hold_ambiguous(s: Scores) -> None:
    """The rule `score(..., ambiguous=False)` left out, applied to the pairs of `s` (in place).
    It only lowers strong matches to a possible one, so it may come after pairs below possible
    were dropped."""
    _hold_ambiguous(s.model, s.t, s.ia, s.ib, s.probability, s.notes)


def kept(s: Scores, ks: np.ndarray) -> Scores:
    """The scores of the pairs ks of `s` only."""
    return Scores(s.weight[ks], s.probability[ks], {c: v[ks] for c, v in s.levels.items()}, s.swapped[ks],
                  s.notes[ks], s.ia[ks], s.ib[ks], s.model, s.t)


def joined(parts: list[Scores], model: Model, t: Nominals) -> Scores:
    """The scores of several batches of pairs as one, in order."""
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Scores(np.zeros(0), np.zeros(0), {c: np.zeros(0, dtype=np.int8) for c in COMPARISONS},
                      np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int8), empty, empty.copy(), model, t)
    if len(parts) == 1:
        return parts[0]
    cat = np.concatenate
    return Scores(cat([s.weight for s in parts]), cat([s.probability for s in parts]),
                  {c: cat([s.levels[c] for s in parts]) for c in parts[0].levels},
                  cat([s.swapped for s in parts]), cat([s.notes for s in parts]),
                  cat([s.ia for s in parts]), cat([s.ib for s in parts]), model, t)


# Levels that say the same person beyond the names (best first, so "at most" this index).
CORROBORATE = {"dob": LEVELS["dob"].index("day_month"), "address": LEVELS["address"].index("similar"),
               "postcode": LEVELS["postcode"].index("one_char"), "phone": 0, "vehicle": 0}


def corroborated(lv: dict) -> np.ndarray:
    """Pairs where something besides the names agrees: a date of birth the same or a slip apart, a
    similar address, a postcode at most a character apart, a phone or a vehicle in common."""
    out = np.zeros(len(next(iter(lv.values()))), dtype=bool)
    for c, worst in CORROBORATE.items():
        out |= (lv[c] >= 0) & (lv[c] <= worst)
    return out


def zeroed(lv: dict) -> np.ndarray:
    """Pairs `score` gives probability 0: dates of birth years apart, no same place or identifier."""
    same_place = (lv["postcode"] == 0) | (lv["address"] == 0) | (lv["phone"] == 0) | (lv["vehicle"] == 0)
    return (lv[VETO[0]] == VETO[1]) & ~same_place


def _hold_names_alone(model: Model, t: Nominals, ia, ib, alone, p, notes) -> None:
    """In a vault large enough to read its own counts, names alone are suggested only for a name the
    vault holds as one person seen again (`Model.recurring`): a name on no record but these two, or
    recorded under more than one date of birth, is as likely another person of that name as the
    same one — a reviewer could not tell them apart either — so the pair is held below the possible
    threshold, saying so."""
    recurring = model.recurring(t)
    if recurring is None:
        return
    hold = model.thresholds.get("names_alone", settings()["thresholds"]["names_alone"])
    k = np.flatnonzero(alone & (p > hold))
    k = k[~(recurring[ia[k]] | recurring[ib[k]])]
    p[k] = hold
    notes[k] = 4


def _hold_ambiguous(model: Model, t: Nominals, ia, ib, p, notes) -> None:
    """A record without a date of birth that matches, strongly, records born years apart (a father
    and son of one name at one address) may be either of them: its strong matches are held to
    possible, so the two never become one person through it."""
    strong = p >= model.thresholds["strong"]
    da, db = t.dob[ia], t.dob[ib]
    one = strong & ((da == 0) != (db == 0))
    if not one.any():
        return
    bridge = np.where(da[one] == 0, ia[one], ib[one])
    dated = np.where(da[one] == 0, db[one], da[one]).astype(np.int64)
    n = len(t)
    lo = np.full(n, np.iinfo(np.int64).max)
    hi = np.zeros(n, dtype=np.int64)
    np.minimum.at(lo, bridge, dated)
    np.maximum.at(hi, bridge, dated)
    rows = np.unique(bridge)
    torn = rows[compare.dob_levels(lo[rows], hi[rows]) == VETO[1]]
    if not len(torn):
        return
    k = np.flatnonzero(one)[np.isin(bridge, torn)]
    cap = model.thresholds.get("years_apart", CAP)
    p[k] = np.minimum(p[k], cap)
    notes[k] = 2


def bridges(model: Model, t: Nominals, ia, ib, p) -> np.ndarray:
    """Rows without a date of birth in a strong match with a dated record (an incremental relink
    compares all their pairs, so `_hold_ambiguous` sees every man they may be)."""
    strong = p >= model.thresholds["strong"]
    da, db = t.dob[ia], t.dob[ib]
    return np.unique(np.concatenate([ia[strong & (da == 0) & (db > 0)], ib[strong & (db == 0) & (da > 0)]]))


def items(model: Model, s: Scores, k: int) -> list[list]:
    """The waterfall of pair k: [[comparison, level, weight]], prior first; a term-frequency
    adjustment is its own item ([name, "common"|"rare", weight]). Weights rounded to 0.01."""
    return items_of(model, s, np.array([k]))[0]


def items_of(model: Model, s: Scores, ks: np.ndarray) -> list[list[list]]:
    """`items` of each pair in ks, a column at a time (a relink explains ~38k distinct waterfalls at
    100k cases). A comparison's item is one of a few (its level and that level's weight): each is
    made once and shared by every waterfall that shows it; nothing changes a waterfall once made."""
    prior = ["prior", "chance", round(model.prior_weight(), 2)]
    out = [[prior] for _ in range(len(ks))]
    swapped = ["names", "swapped", 0.0]
    for j in np.flatnonzero(s.swapped[ks]).tolist():
        out[j].append(swapped)
    for c in COMPARISONS:
        words, made = LEVELS[c], {}
        levels = s.levels[c][ks]
        w = s.parts(c, ks)
        # keyed by the weight's bits: 0.0 and -0.0 are one dict key but write apart in JSON
        for row, level, bits, x in zip(out, levels.tolist(), w.view(np.int64).tolist(), w.tolist()):
            item = made.get((level, bits))
            if item is None:
                item = made[level, bits] = [c, "missing", 0.0] if level < 0 else [c, words[level], round(x, 2)]
            row.append(item)
        known = levels >= 0
        if c in TF_COMPARISONS:
            tf = s.tf(c, ks)
            at = np.flatnonzero(known & (tf != 0))
            for j, x in zip(at.tolist(), tf[at].tolist()):
                out[j].append([c, "rare" if x > 0 else "common", round(x, 2)])
        if c == "surname":
            full = s.fullname(ks)
            at = np.flatnonzero(known & (full != 0))
            for j, x in zip(at.tolist(), full[at].tolist()):
                out[j].append(["fullname", "common", round(x, 2)])
    if s.notes is not None:
        notes = s.notes[ks]
        at = np.flatnonzero(notes)
        held = {k: [*NOTES[k], None] for k in range(1, len(NOTES))}
        for j, k in zip(at.tolist(), notes[at].tolist()):
            out[j].append(held[k])
    return out

"""Link quality at scale against the generator's truth (issue 14), through the real importer and linker.

For each size N: `triage_app.demo.synthetic.generate(N, seed)` (the generator knows which nominals
are one person), the files imported into a new encrypted vault (the import links), then the links
read back and measured against the truth:

- recall: same-person pairs on different cases that share a phone, vehicle or address, or an exact
  date of birth (what tests/triage/test_linking_truth.py asks), found by any link evidence;
- strong precision: strong person matches between nominals of one person;
- false friends: strong links (any evidence) between different people, and person links between
  namesakes born years apart (both must be 0);
- possible precision and suggestions (possible person matches) per case.

Then every wrong strong person match is broken down by shape: which comparison levels agreed
(names, date of birth, address, postcode, ...), whether the names are in the generator's pool of
common names, how often the full name (and name + year of birth) occurs in the vault, its weight
and term-frequency adjustment; and whether the two records are, in truth, told apart by anything
at all (same name and date of birth and nothing else recorded: the truth is then indistinguishable).

    .venv/bin/python bench/linking_truth.py                 # 10000 50000
    .venv/bin/python bench/linking_truth.py 10000 50000 100000 --seed 3 --keep /tmp/truth
    .venv/bin/python bench/linking_truth.py --relink /tmp/truth/50000   # relink a kept vault afresh

Times: wall and CPU seconds of the import (which links) and of the linker alone (a fresh estimate
and full relink); other engineers' load inflates wall seconds, so CPU is printed beside them.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

PASS = "bench passphrase green oak"


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def build(n: int, seed: int, folder: Path):
    from triage_app import importing
    from triage_app.demo.synthetic import generate
    from triage_app.session import create_vault
    from triage_app.vault.keyslots import CHEAP_KDF
    folder.mkdir(parents=True, exist_ok=True)
    (data, gen_wall, _) = timed(lambda: generate(n, seed=seed))
    cases_csv, nominals_csv = data.write_csv(folder)
    path = folder / "vault.db"
    if path.exists():
        path.unlink()
    s = create_vault(path, "sam", PASS, kdf=CHEAP_KDF)
    s.conn.execute("UPDATE users SET role = 'supervisor' WHERE name = 'sam'")
    _, wall, cpu = timed(lambda: importing.run(s, cases_csv, nominals_csv))
    return data, s, {"generate_wall": gen_wall, "import_wall": wall, "import_cpu": cpu}


def relink_fresh(s) -> dict:
    """A new estimate and full relink of the vault (what the linker alone costs)."""
    from triage_app import linking
    conn = s.conn

    def run():
        conn.execute("BEGIN")
        conn.execute("DELETE FROM link_models")
        conn.execute("DELETE FROM links")
        linking.relink(conn)
        conn.execute("COMMIT")
    _, wall, cpu = timed(run)
    return {"relink_wall": wall, "relink_cpu": cpu}


def row_ids(conn, data) -> dict[int, int]:
    """Generated row index → nominal id (the importer keeps each case's rows in file order)."""
    ids = defaultdict(list)
    for nid, ref in conn.execute("SELECT n.id, c.ref FROM nominals n JOIN cases c ON c.id = n.case_id ORDER BY n.id"):
        ids[ref].append(nid)
    seen = Counter()
    out = {}
    for i, row in enumerate(data.nominals):
        out[i] = ids[row["crime_ref"]][seen[row["crime_ref"]]]
        seen[row["crime_ref"]] += 1
    return out


def measure(conn, data) -> dict:
    from triage_app.demo.synthetic import identifiers
    from triage_app.importing.dates import parse as parse_date
    from triage_app.linking import normalise
    to_id = row_ids(conn, data)
    to_row = {v: k for k, v in to_id.items()}
    evidence: dict = {}
    for (ev,) in conn.execute("SELECT evidence FROM links"):
        for a, b, kind, _value, strength in json.loads(ev):
            evidence.setdefault(frozenset((a, b)), []).append((kind, strength))

    def dob(row):
        try:
            return parse_date(row["dob"]) if row["dob"] else None
        except Exception:   # noqa: BLE001 (a generated date is always real; kept safe)
            return None
    dobs = [dob(r) for r in data.nominals]
    # recall
    by_person = defaultdict(list)
    for i, pid in data.truth.items():
        by_person[pid].append(i)
    wanted = found = all_pairs = all_found = 0
    missed = []
    for rows in by_person.values():
        for i, j in combinations(rows, 2):
            a, b = data.nominals[i], data.nominals[j]
            if a["crime_ref"] == b["crime_ref"]:
                continue
            all_pairs += 1
            hit = frozenset((to_id[i], to_id[j])) in evidence
            all_found += hit
            if not (identifiers(a) & identifiers(b) or (dobs[i] and dobs[i] == dobs[j])):
                continue
            wanted += 1
            found += hit
            if not hit:
                missed.append((i, j))
    # precision, false friends
    counts = {"strong": [0, 0], "possible": [0, 0]}
    wrong_strong, wrong_possible, wrong_any_strong = [], [], 0
    for pair, kinds in evidence.items():
        a, b = (to_row[n] for n in pair)
        same = data.truth[a] == data.truth[b]
        if not same and any(s == "strong" for _, s in kinds):
            wrong_any_strong += 1
        for kind, strength in kinds:
            if kind == "person":
                counts[strength][0] += 1
                counts[strength][1] += same
                if not same:
                    (wrong_strong if strength == "strong" else wrong_possible).append((a, b))
    namesakes_linked = namesakes = 0
    by_name = defaultdict(list)
    for i, row in enumerate(data.nominals):
        if dobs[i]:
            by_name[(normalise.name(row["forenames"]), normalise.name(row["surname"]))].append(i)
    for rows in by_name.values():
        for i, j in combinations(rows, 2):
            if data.truth[i] == data.truth[j] or data.nominals[i]["crime_ref"] == data.nominals[j]["crime_ref"]:
                continue
            if abs((dobs[i] - dobs[j]).days) < 2 * 365:
                continue
            namesakes += 1
            kinds = evidence.get(frozenset((to_id[i], to_id[j])), [])
            namesakes_linked += any(k == "person" for k, _ in kinds)
    (strong, strong_right), (possible, possible_right) = counts["strong"], counts["possible"]
    return {"cases": len(data.cases), "nominals": len(data.nominals),
            "recall": (found, wanted), "recall_all": (all_found, all_pairs),
            "strong": (strong_right, strong), "possible": (possible_right, possible),
            "wrong_strong_any": wrong_any_strong, "namesakes_linked": (namesakes_linked, namesakes),
            "suggestions_per_case": possible / max(len(data.cases), 1),
            "wrong_strong_rows": wrong_strong, "wrong_possible_rows": wrong_possible, "missed_rows": missed,
            "to_id": to_id, "calibration": calibration(conn, data, to_row)}


BANDS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1.01)


def calibration(conn, data, to_row) -> list:
    """Person matches by probability band: how many, and how many are in truth one person
    (a calibrated model's band of 0.95–0.99 is right 95–99% of the time)."""
    got = [[0, 0] for _ in BANDS[:-1]]
    for (people,) in conn.execute("SELECT people FROM links"):
        for na, nb, p in json.loads(people):
            k = next(i for i in range(len(BANDS) - 1) if p < BANDS[i + 1])
            got[k][0] += 1
            got[k][1] += data.truth[to_row[na]] == data.truth[to_row[nb]]
    return got


def shapes(conn, data, pairs, label: str = "strong", top: int = 12) -> None:
    """The wrong person matches by shape, with their weights under the vault's model."""
    import numpy as np

    from triage_app.demo.synthetic import COMMON_NAMES
    from triage_app.linking import compare, features, model as fs, normalise
    if not pairs:
        print(f"  no wrong {label} person matches")
        return
    r = measure.last
    t = features.load(conn, None, cached=True)
    index = t.index_of()
    ia = np.array([index[r["to_id"][a]] for a, _ in pairs], dtype=np.int64)
    ib = np.array([index[r["to_id"][b]] for _, b in pairs], dtype=np.int64)
    lv, swapped = compare.levels(t, ia, ib)
    m = fs.current(conn)
    sc = fs.score(m, t, ia, ib, lv, swapped)
    full = Counter()
    name_year = Counter()
    for row, d in zip(data.nominals, (x["dob"] for x in data.nominals)):
        key = (normalise.name(row["forenames"]).split(" ")[0], normalise.name(row["surname"]))
        full[key] += 1
        year = _year(d)
        if year:
            name_year[key + (year,)] += 1
    common = {(normalise.name(f), normalise.name(s)) for f, s in COMMON_NAMES}
    by_shape = Counter()
    detail = defaultdict(list)
    indistinguishable = 0
    for k, (a, b) in enumerate(pairs):
        levels = tuple((c, compare.LEVELS[c][lv[c][k]] if lv[c][k] >= 0 else "-") for c in compare.COMPARISONS)
        agree = ",".join(f"{c}={'missing' if w == '-' else w}" for c, w in levels
                         if c == "dob" or (w not in ("-", "different") and not (c == "gender" and w == "same")))
        ra, rb = data.nominals[a], data.nominals[b]
        key = (normalise.name(ra["forenames"]).split(" ")[0], normalise.name(ra["surname"]))
        pool = "common-pool" if key in common else "other"
        by_shape[(agree, pool)] += 1
        pa, pb = data.people[data.truth[a]], data.people[data.truth[b]]
        if pa["dob"] == pb["dob"] and normalise.name(pa["surname"]) == normalise.name(pb["surname"]) and \
                normalise.name(pa["forenames"]).split(" ")[0] == normalise.name(pb["forenames"]).split(" ")[0]:
            indistinguishable += 1
        tf = sum(sc.tf(c, np.array([k]))[0] for c in fs.TF_COMPARISONS)
        detail[(agree, pool)].append((round(float(sc.weight[k]), 1), round(float(tf), 1), full[key],
                                      name_year.get(key + (_year(ra["dob"]),), 0), ra["role"].lower(), rb["role"].lower()))
    if label == "strong":
        print(f"  model: prior weight {m.prior_weight():.2f} (lambda {m.params['lambda']:.3g}), nominals {m.nominals}")
        for c in compare.COMPARISONS:
            print(f"    {c:9s} " + " ".join(f"{w}:{x:+.1f}" for w, x in zip(compare.LEVELS[c], m.weights(c))))
    print(f"  wrong {label} person matches by shape (levels that agreed; name in the generator's common pool?):")
    for (agree, pool), k in by_shape.most_common(top):
        ex = detail[(agree, pool)][:3]
        print(f"    {k:5d}  {agree or '(nothing)'}  [{pool}]  e.g. (weight, tf, name count, name+year count, roles) {ex}")
    print(f"  same first name, surname and date of birth in the generator's people (indistinguishable): "
          f"{indistinguishable} of {len(pairs)}")


def _year(d: str):
    from triage_app.importing.dates import parse as parse_date
    try:
        return parse_date(d).year if d else None
    except Exception:   # noqa: BLE001
        return None


def report(n: int, r: dict, times: dict) -> None:
    f, w = r["recall"]
    sr, s = r["strong"]
    pr, p = r["possible"]
    nl, ns = r["namesakes_linked"]
    af, ap = r["recall_all"]
    print(f"\n== {n} cases ({r['nominals']} nominals)")
    print(f"  same-person recall          {f}/{w} = {f / max(w, 1):.4f}   (target >= 0.995; every same-person "
          f"pair: {af}/{ap} = {af / max(ap, 1):.4f})")
    print(f"  strong precision            {sr}/{s} = {sr / max(s, 1):.4f}   (target >= 0.999)")
    print(f"  strong links, other people  {r['wrong_strong_any']}   namesakes years apart linked: {nl} of {ns}"
          f"   (target 0)")
    print(f"  possible precision          {pr}/{p} = {pr / max(p, 1):.4f}   (target >= 0.5)")
    print(f"  suggestions per case        {r['suggestions_per_case']:.3f}   (target <= 1)")
    print("  person matches by probability band (right/all): " + ", ".join(
        f"{lo:g}–{hi if hi <= 1 else 1:g} {k[1]}/{k[0]}" for lo, hi, k in zip(BANDS, BANDS[1:], r["calibration"])))
    print("  times: " + ", ".join(f"{k} {v:.1f}s" for k, v in times.items()) +
          f"; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[10000, 50000], help="numbers of cases to generate")
    ap.add_argument("--seed", type=int, default=1, help="the generator's seed")
    ap.add_argument("--keep", type=Path, help="keep each size's files and vault in KEEP/N")
    ap.add_argument("--relink", action="store_true",
                    help="with --keep: reuse the kept vaults (regenerated data, same seed) and relink them afresh")
    ap.add_argument("--no-shapes", action="store_true", help="skip the breakdown of wrong strong matches")
    args = ap.parse_args(argv)
    from triage_app.demo.synthetic import generate
    from triage_app.session import open_vault
    root = args.keep or Path(tempfile.mkdtemp(prefix="linking-truth-"))
    for n in args.sizes:
        folder = root / str(n)
        if args.relink and (folder / "vault.db").exists():
            data = generate(n, seed=args.seed)
            s = open_vault(folder / "vault.db", "sam", PASS)
            times = relink_fresh(s)
        else:
            data, s, times = build(n, args.seed, folder)
        r = measure(s.conn, data)
        measure.last = r
        report(n, r, times)
        if not args.no_shapes:
            shapes(s.conn, data, r["wrong_strong_rows"])
            shapes(s.conn, data, r["wrong_possible_rows"], "possible", top=8)
        s.close()
        sys.stdout.flush()


if __name__ == "__main__":
    main()

"""A link's JSON columns are written out directly (resolve._row) rather than by the json encoders:
every shape of row must read exactly as the encoders wrote it before, byte for byte, or every
stored row would be rewritten (and a digest kept for a row would no longer match it)."""
import json

from triage_app.linking import resolve
from triage_app.linking.resolve import Evidence, Nominal

_TEXT = json.JSONEncoder(ensure_ascii=False)
_COMPACT = json.JSONEncoder(separators=(",", ":"))
_PLAIN = json.JSONEncoder()


def _oracle(evs, model_version, refs) -> tuple:
    """The row as the encoders wrote it (the code before the direct writing), kept as the reference."""
    strong, basis, sa, sb, rows, prob, ident, people = False, {}, False, False, [], 0.0, [], {}
    for ev in evs:
        a, b = ev.a, ev.b
        if a.case_id > b.case_id:
            a, b = b, a
        strong |= ev.strength == "strong"
        basis.setdefault(resolve.text_of(ev, refs), ev.strength)
        sa |= a.role == "suspect"
        sb |= b.role == "suspect"
        rows.append((a.id, b.id, ev.kind, ev.value, ev.strength))
        prob = max(prob, ev.probability)
        if ev.kind == "person":
            pair = (a.id, b.id)
            if people.get(pair, (-1,))[0] < ev.probability:
                people[pair] = (ev.probability, ev.items, [a.role, b.role])
        else:
            ident.append({"items": [[ev.kind, "shared", None]], "nominals": [a.id, b.id], "probability": 1.0,
                          "roles": [a.role, b.role]})
    ranked = sorted(people.items(), key=lambda kv: (-kv[1][0], kv[0]))
    if len(ident) > 1:
        explanation = [json.loads(e) for e in sorted({json.dumps(e, sort_keys=True) for e in ident})]
    else:
        explanation = ident
    if ranked:
        (na, nb), (p, items, roles) = ranked[0]
        explanation.append({"nominals": [na, nb], "roles": roles, "probability": round(p, 6), "items": items})
    return ("strong" if strong else "possible", _TEXT.encode(resolve.basis_list(basis)),
            int(sa), int(sb), _TEXT.encode(sorted(set(rows))), round(prob, 6),
            _COMPACT.encode(explanation), model_version,
            _PLAIN.encode([[na, nb, round(v[0], 6)] for (na, nb), v in ranked]))


def _person(a, b, p, items, strength="strong", words="date of birth exact; surname “O’Neil” agrees"):
    ev = Evidence(a, b, "person", "date of birth exact", strength, None, p)
    ev.items, ev.words = items, words
    ev.items_json = _COMPACT.encode(items)
    return ev


def test_every_shape_of_row_reads_as_the_encoders_wrote_it():
    v1, s1, w2 = Nominal(11, 1, "victim"), Nominal(12, 1, "suspect"), Nominal(27, 2, "witness")
    s2, o3 = Nominal(28, 2, "suspect"), Nominal(5, 3, "other")
    refs = {1: "CR/2015/0001", 2: "CR/2016/0002 ‘north’", 3: "CR/2019/0003"}
    items = [["prior", None, -9.532], ["surname", "exact", 4.25, "Ó Briain"], ["dob", "one digit", 1e-05],
             ["forename", "variant", 2.0], ["postcode", None, None]]
    other_items = [["prior", None, -9.5], ["dob", "exact", 6.0000001], ["names", "swapped", 0.5]]
    shapes = [
        [Evidence(s1, s2, "phone", "07700 900123", "strong", None)],                  # one identifier
        [Evidence(s2, s1, "address", "12 mill road ls1 4ab", "strong", None),         # reversed ends
         Evidence(s1, s2, "phone", "07700 900123", "strong", None),
         Evidence(s1, s2, "phone", "07700 900999", "strong", None),                   # same kind, same people
         Evidence(s1, s2, "phone", "07700 900999", "strong", None),                   # the very same, twice
         Evidence(v1, w2, "vehicle", "AB12 CDE", "strong", None)],
        [_person(v1, w2, 0.912345678, items, "possible")],                             # one person, possible
        [_person(s1, s2, 0.99999, other_items), _person(v1, w2, 0.5, items, "possible"),
         _person(s2, s1, 0.3, items, "possible"),                                    # same pair, lower: dropped
         Evidence(s1, s2, "vehicle", "ÆB12 \"CDE\"\\", "strong", None)],              # non-ASCII, quote, backslash
        [_person(o3, s1, 1.0, items), _person(o3, w2, 1.0, other_items)],             # a tie on probability
    ]
    for evs in shapes:
        got = resolve._row(evs, 7, refs)
        assert got == _oracle(evs, 7, refs)
        assert resolve._row(evs, None, refs) == _oracle(evs, None, refs)
        for column in (got[1], got[4], got[6], got[8]):
            json.loads(column)                                                       # and still JSON

"""A link's explanation in words: every comparison's level and weight ("date of birth: one digit
differs, +4.1", "surname Hussain is common, −1.2").

Links store the structured form only — comparison, level, weight and the nominals' roles — never a
name, date or number. Words are made when shown; a display value (the name a term-frequency
adjustment is about) is put in only when the caller allows it for both ends of the pair, so a
victim's identifiers never reach a pack or an export at the default identity level.
"""
from __future__ import annotations

from functools import lru_cache
from operator import itemgetter

COMPARISON_WORDS = {
    "prior": "prior odds", "names": "names", "forename": "forename", "surname": "surname",
    "dob": "date of birth", "address": "address", "postcode": "postcode", "phone": "phone",
    "vehicle": "vehicle", "gender": "gender", "fullname": "forename and surname",
}
NAME_LEVELS = {
    "exact": "the same", "variant": "a variant or nickname of the other (Bob / Robert, Mohammed / Muhammad)",
    "slip": "a keying slip apart", "similar": "similar spellings", "other_name": "agrees with a middle or second name",
    "different": "different", "missing": "not recorded on one side",
    "common": "is common", "rare": "is rare",
}
LEVEL_WORDS = {
    "forename": NAME_LEVELS, "surname": NAME_LEVELS,
    "dob": {"exact": "the same", "transposed": "two adjacent digits swapped", "one_digit": "one digit differs",
            "day_month": "day and month swapped", "same_year": "same year only", "different": "different",
            "years_apart": "years apart", "missing": "not recorded on one side",
            "years_apart_cap": "years apart, so at most a possible match (two people of one name and place, "
                               "unless a date was keyed wrong)",
            "ambiguous": "not recorded, and records of this name born years apart match it too, so at most "
                         "a possible match",
            "names_only": "nothing but the names agrees (no date of birth, address, postcode, phone or vehicle), "
                          "so at most a possible match",
            "names_alone": "nothing but the names agrees, and the vault does not hold this name as one person "
                           "seen again (it is on no other record, or under more than one date of birth), so "
                           "not suggested"},
    "fullname": {"common": "are common together"},
    "address": {"exact": "the same", "close": "nearly the same", "similar": "similar", "different": "different",
                "missing": "not recorded on one side"},
    "postcode": {"exact": "the same", "one_char": "one character differs", "sector": "same sector",
                 "district": "same district", "different": "different", "missing": "not recorded on one side"},
    "phone": {"shared": "a number in common", "different": "numbers recorded, none in common",
              "missing": "not recorded on one side"},
    "vehicle": {"shared": "a vehicle in common", "different": "vehicles recorded, none in common",
                "missing": "not recorded on one side"},
    "gender": {"same": "the same", "different": "different", "missing": "not recorded on one side"},
    "prior": {"chance": "two records chosen at random"},
    "names": {"swapped": "forename and surname swapped"},
}


def percent(p: float) -> str:
    if p >= 0.9995:
        return f"{p * 100:.2f}%" if p < 0.99995 else ">99.99%"
    return f"{p * 100:.1f}%"


def sentence(comparison: str, level: str, weight, value: str | None = None) -> str:
    """One item in words: "date of birth: one digit differs, +4.1"; a term-frequency item reads
    "surname Hussain is common, −1.2" (the value only when given)."""
    if value is None:
        return _sentence(comparison, level, weight)
    return _words(comparison, level, weight, value)


@lru_cache(maxsize=65536)   # a relink words thousands of items, most of them alike; never a value
def _sentence(comparison: str, level: str, weight) -> str:
    return _words(comparison, level, weight, None)


def _words(comparison: str, level: str, weight, value: str | None) -> str:
    what = COMPARISON_WORDS.get(comparison, comparison)
    how = LEVEL_WORDS.get(comparison, {}).get(level, level.replace("_", " "))
    w = "" if weight is None else f", {_signed(weight)}"
    if level in ("common", "rare"):
        return f"{what}{' ' + value if value else ''} {how}{w}"
    if level == "shared" and weight is None:
        return f"{what}: {how} (a shared identifier links the cases whatever the names)"
    return f"{what}: {how}{w}"


def _signed(w: float) -> str:
    return f"+{w:.1f}" if w >= 0 else f"\u2212{-w:.1f}"


def top_reasons(items: list, k: int) -> str:
    """The k items that weigh most for the match, in words, without values (for a link's basis),
    then why the match was held below strong, then a swap of names. One pass over the items (a
    relink words ~38k waterfalls at 100k cases)."""
    weighing, held, swapped = [], [], False
    for item in items:
        c, level, w = item
        if w is None:
            if c == "dob":
                held.append(_sentence(c, level, None))
        elif w > 0 and c != "prior":
            weighing.append(item)
        if c == "names":
            swapped = True
    weighing.sort(key=_WEIGHT, reverse=True)   # stable, as sorting by -weight
    words = [_sentence(c, level, w) for c, level, w in weighing[:k]] + held
    if swapped:
        words.append("forename and surname swapped")
    return "; ".join(words) or "little evidence either way"


_WEIGHT = itemgetter(2)


def dob_phrase(items: list) -> str:
    for c, lv, _ in items:
        if c == "dob":
            return f"date of birth {LEVEL_WORDS['dob'].get(lv, lv)}"
    return "date of birth not compared"


def entries(explanation: list, value_for=None) -> list[dict]:
    """design.md §3 `explanation`: [{"comparison", "level", "code", "weight", "text", "roles"}] for a link's
    stored explanation. value_for(nominal_id, comparison) → a display value or None; it is asked
    only for pairs with no victim at either end (the caller decides if even that is allowed)."""
    out = []
    for part in explanation:
        roles = part.get("roles") or [None, None]
        ids = part.get("nominals") or [None, None]
        showable = value_for is not None and "victim" not in roles
        for c, lv, w in part.get("items", []):
            value = value_for(ids[0], c) if showable and lv in ("common", "rare") else None
            out.append({"comparison": COMPARISON_WORDS.get(c, c), "level": LEVEL_WORDS.get(c, {}).get(lv, lv),
                        "code": [c, lv], "weight": w, "text": sentence(c, lv, w, value), "roles": roles})
    return out

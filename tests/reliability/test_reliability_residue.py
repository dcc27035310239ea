"""Case data cached outside the vault for speed (normal forms of names, addresses, phones and dates
of birth; the linker's name tables) is forgotten when the vault locks, and the normal forms when
a relink ends (vault/residue.py): a workstation left locked holds none of it."""
from __future__ import annotations

from triage_app import importing
from triage_app.demo.synthetic import generate
from triage_app.linking import compare, names, normalise


def _held() -> dict[str, int]:
    return {"address": normalise.address.cache_info().currsize, "postcode": normalise.postcode.cache_info().currsize,
            "name": normalise.name.cache_info().currsize, "dob": normalise.dob.cache_info().currsize,
            "phone": normalise._phone.cache_info().currsize, "tokens": names.clean_tokens.cache_info().currsize,
            "canon": names.canon.cache_info().currsize, "words": len(compare._WORDS) + len(compare._MEMO)}


def test_locking_forgets_every_cache_of_case_data(login, tmp_path):
    s = login("sam")
    importing.run(s, *generate(60, seed=5).write_csv(tmp_path))
    # what a reviewer's work fills again after the import: the pack's and chart's normal forms, names
    normalise.address("12, Mill Rd. LS1 4AB")
    normalise.postcode("ls14ab")
    normalise.name("  Ada  LOVELACE ")
    normalise.dob("1990-03-04")
    normalise.phone("07700 900123")
    names.parse("Ada", "Lovelace", "ada lovelace")
    names.canon("ada")
    compare._WORDS["x"] = compare._MEMO["y"] = 1
    assert all(_held().values()), _held()
    s.lock()
    assert _held() == dict.fromkeys(_held(), 0)


def test_a_relink_ends_with_the_normal_forms_forgotten(login, tmp_path):
    s = login("sam")
    importing.run(s, *generate(60, seed=5).write_csv(tmp_path))
    assert normalise.address.cache_info().currsize == 0
    assert normalise.name.cache_info().currsize == 0

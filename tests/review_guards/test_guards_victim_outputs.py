"""Outside review (h24): every output at its default settings, on cases that share a victim
(her phone, address, date of birth, and a nickname on the linked case), scanned for each of her
identifiers in any written form — the same scan as the pack's (tests/pack/test_pack_victim_identity.py).

Found by the review: `links` on screen and `links --json` printed the linker's sentences with the
victim's phone, address and postcode (only `links --format` was minimised); the chronology (screen,
JSON and i2 CSV) printed a witness by her full name, which is the victim's surname ("Linda SMYTH");
`event proposals` minimised only against the victims of the case asked for, so a linked case's
victim named in this case's text kept her name.
"""
import json

import pytest

from tests.pack.test_pack_victim_identity import HERE, OTHER, SISTER, _import, _leaks, _review


@pytest.fixture
def shared(login, tmp_path):
    _import(login, tmp_path)
    _review(login)
    return tmp_path


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_links_on_screen_and_as_json_keep_no_victim_identifier(shared, cli):
    code, out, err = cli("rita", "links")
    assert code == 0 and SISTER in out and OTHER in out
    assert _leaks(_flat(out)) == []
    assert "same phone (victim on" in out          # the basis still says how the cases are linked
    code, out, err = cli("rita", "links", "--json")
    assert code == 0 and len(json.loads(out)["pairs"]) == 3
    assert _leaks(_flat(out)) == []


def test_links_with_full_identity_need_a_justification_and_show_the_values(shared, cli, login):
    code, out, err = cli("rita", "links", "--victim-identity", "full")
    assert code == 1 and "justification" in err
    code, out, err = cli("rita", "links", "--victim-identity", "full", "--justification", "test: compare")
    assert code == 0 and "phone 07700 900461" in _leaks(_flat(out))   # the scan is not vacuous
    sam = login("sam")
    [(detail,)] = sam.query("SELECT detail FROM audit WHERE action = 'links.view' ORDER BY seq DESC LIMIT 1")
    assert json.loads(detail)["identity"] == "full" and json.loads(detail)["justification"] == "test: compare"


def test_the_chronology_on_screen_as_json_and_as_csv_keeps_no_victim_identifier(shared, cli, tmp_path):
    for argv in (("chronology", HERE), ("chronology", HERE, "--json")):
        code, out, err = cli("rita", *argv)
        assert code == 0 and "R.S." in out
        assert _leaks(_flat(out)) == [], argv
        assert "Linda S." in out                     # the witness keeps what is hers, not the surname
    out_file = tmp_path / "chronology.csv"
    code, out, err = cli("rita", "chronology", HERE, "--csv", "--out", str(out_file))
    assert code == 0
    assert _leaks(_flat(out_file.read_text(encoding="utf-8-sig"))) == []


def test_date_proposals_are_minimised_against_the_victims_of_linked_cases_too(shared, cli, login):
    # The summary's only dates are the victims' dates of birth, which are never proposed (h32); a
    # dated sentence naming the linked case's victim is added to it here.
    login("sam").conn.execute("UPDATE cases SET summary = summary || ? WHERE ref = ?",
                              (" Lizzie Harrow was seen in his car on 02/02/2013.", HERE))
    code, out, err = cli("rita", "event", "proposals", HERE)
    assert code == 0 and "E.H." in out               # Lizzie Harrow, the victim on a linked case
    assert "2013-02-02" in out and "2001-09-15" not in out     # her date of birth is no event
    assert not [leak for leak in _leaks(_flat(out)) if leak.startswith("name")]


@pytest.mark.parametrize("argv", [("dashboard", "--json"), ("dashboard",), ("stats", "--json"), ("stats", "--csv"),
                                  ("audit", "log", "--json"), ("cases", "--json")])
def test_other_default_outputs_keep_no_victim_identifier(shared, cli, argv):
    code, out, err = cli("sam", *argv)
    assert code == 0
    assert _leaks(_flat(out + err)) == []


def test_the_audit_csv_withholds_victims_identifiers_typed_into_reasons_and_searches(shared, cli, tmp_path):
    # Found by the review: a reason, a justification or a search is kept in the entry as typed, and
    # the audit CSV (a file that leaves the vault) carried "Becky Smyth 07700 900461" as it was.
    assert cli("rita", "case", "show", HERE, "--reason", "Becky Smyth, 07700 900461, born 07/03/2000")[0] == 0
    assert cli("rita", "search", "Becky")[0] == 0
    assert cli("rita", "link", "confirm", HERE, SISTER, "--reason", "Becky = Rebecca Smyth of 14 Holly Bank Rd")[0] == 0
    out_file = tmp_path / "audit.csv"
    code, out, err = cli("sam", "audit", "log", "--csv", "--out", str(out_file))
    assert code == 0
    text = out_file.read_text(encoding="utf-8-sig")
    assert "case.view" in text and "link.confirm" in text and "R.S." in text
    assert _leaks(_flat(text)) == []
    code, out, err = cli("sam", "audit", "log", "--json")    # the log itself, read in the vault, is as typed
    assert "Becky Smyth, 07700 900461" in out

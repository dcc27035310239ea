"""attach and intel on the command line (design.md §3), and the 3x5x2 grading rules."""
import json

import pytest

from tests.material import files
from triage_app.errors import BadInput, NotFound
from triage_app.material import intel


@pytest.mark.parametrize("text,grade", [("1A-P", ("1", "A", "P")), ("2b-c", ("2", "B", "C")), ("3/E/P", ("3", "E", "P")),
                                        ("1AP", ("1", "A", "P")), (" 2 D C ", ("2", "D", "C"))])
def test_grades_are_read_in_the_usual_forms(text, grade):
    assert intel.parse_grade(text) == grade


@pytest.mark.parametrize("text", ["4A-P", "1F-P", "1A-X", "A1-P", "", "1A", "1A-P-P", "5x5x5"])
def test_anything_else_is_refused_plainly(text):
    with pytest.raises(BadInput, match="written like 1A-P"):
        intel.parse_grade(text)


def test_handling_conditions_go_with_c_only(rita, case):
    with pytest.raises(BadInput, match="needs its conditions"):
        intel.add(rita, case, text="t", source="s", grade="1A-C")
    with pytest.raises(BadInput, match="carries no conditions"):
        intel.add(rita, case, text="t", source="s", grade="1A-P", conditions="police only")
    with pytest.raises(BadInput, match="in the future"):
        intel.add(rita, case, text="t", source="s", grade="1A-P", item_date="2999-01-01")
    assert rita.one("SELECT count(*) FROM intel_items")[0] == 0


def test_an_item_on_a_nominal_by_either_id_and_never_on_another_case(rita, case, login):
    from tests.pack.conftest import add_case
    nid = rita.one("SELECT id FROM nominals WHERE role = 'suspect'")[0]
    sam = login("sam")
    with sam.change("import", "test.nominal_id"):
        sam.conn.execute("UPDATE nominals SET nominal_id = 'PNC-77A' WHERE id = ?", (nid,))
    a = intel.add(rita, case, text="t", source="s", grade="1A-P", nominal="PNC-77A")
    b = intel.add(rita, case, text="u", source="s", grade="1A-P", nominal=str(nid))
    assert a["nominal"]["id"] == b["nominal"]["id"] == nid and a["nominal"]["role"] == "suspect"
    add_case(sam, "CR/2013/000777", rationale="NFA.", victim=("Lola", "Prentice"))
    other = rita.one("SELECT n.id FROM nominals n JOIN cases c ON c.id = n.case_id WHERE c.ref = 'CR/2013/000777' "
                     "AND n.role = 'victim'")[0]
    with pytest.raises(NotFound, match="has no nominal"):
        intel.add(rita, case, text="t", source="s", grade="1A-P", nominal=str(other))


def test_audit_entries_name_items_by_number_and_grade_not_text(rita, case):
    intel.add(rita, case, text="QZSECRET about a flat", source="IR 9", grade="2B-P")
    detail = rita.one("SELECT detail FROM audit WHERE action = 'intel.add'")[0]
    assert json.loads(detail) == {"item": 1, "grade": "2B-P", "nominal": None}
    assert "QZSECRET" not in detail


def test_attach_commands_end_to_end(cli, case, put, tmp_path):
    data = files.pdf()
    code, out, err = cli("rita", "attach", "add", case, str(put("statement.pdf", data)), "--description",
                         "Witness statement")
    assert code == 0, err
    assert out.startswith("Attachment 1 added to case")
    code, out, _ = cli("rita", "attach", "list", case, "--json")
    [row] = json.loads(out)
    assert {k: row[k] for k in ("id", "name", "description", "size", "added_by")} == {
        "id": 1, "name": "statement.pdf", "description": "Witness statement", "size": len(data), "added_by": "rita"}
    assert set(row) >= {"id", "name", "description", "size", "sha256", "added_by", "added_at"}
    code, out, err = cli("rita", "attach", "export", case, "1", "--out", str(tmp_path / "o.pdf"), "--reason", "CPS")
    assert code == 0 and (tmp_path / "o.pdf").read_bytes() == data
    with pytest.raises(SystemExit) as exited:   # --reason is required: argparse's own exit 2
        cli("rita", "attach", "export", case, "1", "--out", str(tmp_path / "o2.pdf"))
    assert exited.value.code == 2
    code, out, err = cli("rita", "attach", "remove", case, "1", "--reason", "duplicate", "--json")
    assert code == 0 and json.loads(out)["sha256"] == row["sha256"]
    code, out, err = cli("rita", "attach", "export", case, "1", "--out", str(tmp_path / "o3.pdf"), "--reason", "x")
    assert code == 1 and err.count("\n") == 1 and "only its hash is kept" in err


def test_intel_commands_end_to_end(cli, case):
    code, out, err = cli("rita", "intel", "add", case, "--text", "Seen with two girls", "--source", "IR 2011/93",
                         "--grade", "2b-c", "--conditions", "Police only", "--date", "02/10/2011")
    assert code == 0, err
    assert out.strip() == f"Intelligence item 1 added to case {case}, graded 2B-C."
    code, out, _ = cli("rita", "intel", "list", case)
    assert "2B-C: source untested; known indirectly to the source but corroborated" in out and "[kept out of packs]" in out
    code, out, err = cli("rita", "intel", "sanitise", case, "1", "--reason", "Originator agreed", "--json")
    assert code == 0 and json.loads(out)["may_go_in_pack"] is True
    code, out, _ = cli("rita", "intel", "list", case, "--json")
    [item] = json.loads(out)
    assert (item["grade"], item["date"], item["sanitisation"]["by"]) == ("2B-C", "2011-10-02", "rita")
    code, out, err = cli("rita", "intel", "add", case, "--text", "t", "--source", "s", "--grade", "9Z-Q")
    assert code == 1 and err.strip().startswith("A grade is the source evaluation")

import json

from tests.ops.conftest import add_cases

BUNDLE = {"TRIAGE_BUNDLE_PASSPHRASE": "taskforce bundle passphrase seven"}


def test_cli_backup_verify_restore(cli, login, tmp_path):
    add_cases(login("sam"), 6)
    out = tmp_path / "vault.backup"
    code, said, err = cli("sam", "backup", "--out", str(out))
    assert code == 0 and "6 cases" in said, err
    code, said, err = cli("ada", "backup", "verify", str(out), "--json")
    assert code == 0 and json.loads(said)["ok"] and json.loads(said)["cases"] == 6
    code, _, err = cli("rita", "backup", "--out", str(tmp_path / "r.backup"))
    assert code == 1 and "reviewer may not" in err and not (tmp_path / "r.backup").exists()
    target = tmp_path / "restored.db"
    code, said, err = cli("sam", "restore", str(out), "--vault", str(target))
    assert code == 0 and "intact" in said, err
    code, said, _ = cli("sue", "audit", "verify", "--vault", str(target))
    assert code == 0
    code, _, err = cli("sam", "restore", str(out), "--vault", str(target))
    assert code == 1 and "already exists" in err
    code, _, err = cli("sam", "restore", str(out), "--vault", str(tmp_path / "x.db"), passphrase="wrong passphrase here")
    assert code == 3 and not (tmp_path / "x.db").exists()
    for e in (err,):
        assert "Traceback" not in e


def test_cli_bundle_export_and_import_reports_a_conflict(cli, login, tmp_path):
    refs = add_cases(login("sam"), 3)
    out = tmp_path / "cases.bundle"
    code, said, err = cli("sam", "bundle", "export", *refs, "--out", str(out), "--recipient", "CSE Taskforce",
                          "--json", env=BUNDLE)
    assert code == 0 and json.loads(said)["cases"] == 3, err
    # Bring the same bundle into a restored copy of this vault whose first case was edited since.
    backup = tmp_path / "v.backup"
    assert cli("sam", "backup", "--out", str(backup))[0] == 0
    other = tmp_path / "other.db"
    assert cli("sam", "restore", str(backup), "--vault", str(other))[0] == 0
    from tests.conftest import PASS
    from triage_app.session import open_vault
    s = open_vault(other, "sam", PASS["sam"])
    with s.change("import", "test.edit", case=refs[0]):
        s.conn.execute("UPDATE cases SET outcome_code = '21' WHERE ref = ?", (refs[0],))
    s.close()
    code, said, err = cli("sam", "bundle", "import", str(out), "--vault", str(other), "--json", env=BUNDLE)
    assert code == 0, err
    result = json.loads(said)
    assert result["cases_added"] == 0
    assert result["already_present"] == refs[1:]
    assert result["conflicts"] == [{"ref": refs[0], "what": "the case details differ"}]
    code, said, err = cli("sam", "bundle", "import", str(out), "--vault", str(other), env=BUNDLE)
    assert code == 1 and "before" in err

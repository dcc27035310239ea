"""Backups, restores, bundles and re-keys carry attachments and intelligence, hash-checked."""
import base64

import pytest

from tests.conftest import PASS
from tests.material import files
from tests.material.conftest import counts
from tests.ops.test_ops_bundle import BUNDLE_PASS, other_vault  # noqa: F401 (fixture)
from triage_app.errors import BadInput, TriageError
from triage_app.material import attachments, content, intel
from triage_app.ops.backup import make_backup, restore_backup, verify_backup
from triage_app.ops.bundle import export_bundle, import_bundle
from triage_app.session import open_vault
from triage_app.vault.keyslots import CHEAP_KDF


@pytest.fixture
def material(rita, case, put):
    """Two attachments and two intelligence items (one C-coded on the suspect, sanitised) on `case`."""
    pdf = files.pdf(pages=2)
    a = attachments.add(rita, case, put("statement.pdf", pdf), "Witness statement")
    b = attachments.add(rita, case, put("photo.png", files.png()), "Photograph of the car")
    suspect = rita.one("SELECT id FROM nominals WHERE role = 'suspect'")[0]
    intel.add(rita, case, text="Seen outside the school at 15:30", source="IR 2012/0441", grade="1B-P")
    c = intel.add(rita, case, text="Uses a second phone", source="IR 2012/0517", grade="2C-C",
                  conditions="Not to be disclosed outside the force", nominal=suspect)
    intel.sanitise(rita, case, c["id"], reason="Source protected", text="Believed to use a second phone")
    return {"pdf": pdf, "ids": (a["id"], b["id"])}


def _tamper(session, number):
    with session.change("read", "test.tamper"):
        block = session.one("SELECT data FROM attachment_content WHERE attachment = ? AND n = 0", (number,))[0]
        session.conn.execute("UPDATE attachment_content SET data = ? WHERE attachment = ? AND n = 0",
                             (bytes(block[:-1]) + b"!", number))


def test_backup_verify_and_restore_check_every_attachment(vault_path, login, material, case, tmp_path):
    out = tmp_path / "vault.backup"
    make_backup(login("sam"), out)
    report = verify_backup(out, "sam", PASS["sam"])
    assert report["ok"] and report["attachments_checked"] == 2
    restored = restore_backup(out, tmp_path / "restored.db", "sam", PASS["sam"])
    try:
        assert attachments.verify_all(restored.conn) == []
        assert content.read_all(restored.conn, material["ids"][0]) == material["pdf"]
        items = intel.listing(restored, case)
        assert [i["grade"] for i in items] == ["1B-P", "2C-C"] and items[1]["sanitisation"]["by"] == "rita"
    finally:
        restored.close()


def test_a_backup_holding_a_changed_attachment_fails_verify_and_restores_nothing(vault_path, login, material, case,
                                                                                tmp_path):
    sam = login("sam")
    _tamper(sam, material["ids"][0])   # an insider with the key; the backup itself is made honestly
    out = tmp_path / "vault.backup"
    make_backup(sam, out)
    report = verify_backup(out, "sam", PASS["sam"])
    assert not report["ok"]
    assert report["problems"] == [f"attachment {material['ids'][0]} of case {case} fails its SHA-256 check"]
    target = tmp_path / "restored.db"
    with pytest.raises(TriageError, match="fails its SHA-256 check"):
        restore_backup(out, target, "sam", PASS["sam"])
    assert not target.exists()


def test_backup_verify_on_the_command_line_names_the_attachment(cli, vault_path, login, material, case, tmp_path):
    _tamper(login("sam"), material["ids"][1])
    out = tmp_path / "vault.backup"
    assert cli("sam", "backup", "--out", str(out))[0] == 0
    code, _, err = cli("sam", "backup", "verify", str(out))
    assert code == 1
    assert err.strip() == f"The backup vault.backup fails a check: attachment {material['ids'][1]} of case {case} fails its SHA-256 check."


def test_a_bundle_carries_attachments_and_intelligence(login, material, case, other_vault, tmp_path):
    out = tmp_path / "case.bundle"
    export_bundle(login("sam"), [case], out, BUNDLE_PASS, kdf=CHEAP_KDF)
    assert b"QZMATMARKER" not in out.read_bytes()
    result = import_bundle(other_vault, out, BUNDLE_PASS)
    assert result["added"] == [case]
    got = attachments.rows(other_vault.conn, attachments.case_id(other_vault.conn, case))
    assert [(g["name"], g["description"]) for g in got] == [("statement.pdf", "Witness statement"),
                                                           ("photo.png", "Photograph of the car")]
    assert content.read_all(other_vault.conn, got[0]["id"]) == material["pdf"]
    assert attachments.verify_all(other_vault.conn) == []
    items = intel.items(other_vault.conn, attachments.case_id(other_vault.conn, case))
    assert items[1]["nominal"]["role"] == "suspect"      # re-attached to the same person here
    assert items[1]["sanitisation"]["text"] == "Believed to use a second phone"
    # Imported again into a vault that now holds it: the same case, the same material.
    export_bundle(login("sam"), [case], tmp_path / "again.bundle", BUNDLE_PASS, kdf=CHEAP_KDF)
    assert import_bundle(other_vault, tmp_path / "again.bundle", BUNDLE_PASS)["already_present"] == [case]


def test_a_case_here_with_other_material_is_a_conflict(login, material, case, other_vault, tmp_path):
    export_bundle(login("sam"), [case], tmp_path / "a.bundle", BUNDLE_PASS, kdf=CHEAP_KDF)
    import_bundle(other_vault, tmp_path / "a.bundle", BUNDLE_PASS)
    intel.add(login("rita"), case, text="A later report", source="IR 2013/0002", grade="3D-P")
    export_bundle(login("sam"), [case], tmp_path / "b.bundle", BUNDLE_PASS, kdf=CHEAP_KDF)
    result = import_bundle(other_vault, tmp_path / "b.bundle", BUNDLE_PASS)
    assert result["conflicts"] == [{"ref": case, "what": "the attachments or intelligence differ"}]


def test_a_bundle_whose_attachment_fails_its_hash_imports_nothing(login, material, case, other_vault, tmp_path,
                                                                  monkeypatch):
    from triage_app.material import bundle
    real = bundle.contents
    monkeypatch.setattr(bundle, "contents", lambda conn, ids: {k: base64.b64encode(b"%PDF-1.4 not it").decode()
                                                               for k in real(conn, ids)})
    out = tmp_path / "bad.bundle"
    export_bundle(login("sam"), [case], out, BUNDLE_PASS, kdf=CHEAP_KDF)
    before = counts(other_vault), other_vault.one("SELECT count(*) FROM cases")[0]
    with pytest.raises(BadInput, match="fails its SHA-256 check; nothing was imported"):
        import_bundle(other_vault, out, BUNDLE_PASS)
    assert (counts(other_vault), other_vault.one("SELECT count(*) FROM cases")[0]) == before


def test_a_rekey_re_encrypts_the_attachments_with_the_rest(vault_path, login, material, case):
    from triage_app.users import disable_user
    from triage_app.vault import connection
    from triage_app.vault.keyslots import KeyFile
    ada = login("ada")
    old_key = bytes(ada.vault_key())
    disable_user(ada, "rob", rekey=True)
    ada.close()
    with pytest.raises(Exception):
        connection.connect(vault_path, old_key).execute("SELECT count(*) FROM attachment_content").fetchone()
    s = open_vault(vault_path, "rita", PASS["rita"])
    try:
        assert attachments.verify_all(s.conn) == []
        assert content.read_all(s.conn, material["ids"][0]) == material["pdf"]
    finally:
        s.close()
    assert KeyFile.load(vault_path).users() == sorted(set(PASS) - {"rob"})

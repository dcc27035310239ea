import os
import stat
import threading
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import PASS, digest
from tests.ops.conftest import add_cases
from triage_app import audit
from triage_app.errors import AuthFailed, BadInput, Refused, TriageError
from triage_app.ops.backup import backup_age_days, backup_reminder, make_backup, restore_backup, verify_backup
from triage_app.session import open_vault


def _all(session, sql):
    return [tuple(r) for r in session.query(sql)]


def test_backup_while_another_connection_writes(vault_path, login, tmp_path):
    sam = login("sam")
    add_cases(sam, 5)
    writer = login("sue")
    stop = threading.Event()
    written = []

    def keep_writing():
        # Another user keeps changing the vault through its own connection during the backup.
        i = 0
        while not stop.is_set() and i < 400:
            add_cases(writer, 1, seed=1000 + i, prefix=f"W/{i}/")
            written.append(i)
            i += 1

    t = threading.Thread(target=keep_writing)
    t.start()
    try:
        while len(written) < 3:
            pass
        out = tmp_path / "during.backup"
        info = make_backup(sam, out)
        during = len(written)
    finally:
        stop.set()
        t.join()
    assert during >= 3
    report = verify_backup(out, "sam", PASS["sam"])
    assert report["ok"], report["problems"]
    # The copy is one snapshot: its audit head is its last entry and its seed entries match its cases.
    assert report["audit_head"] == info["audit_head"]
    assert report["cases"] == info["cases"]
    assert 5 < info["cases"] < 5 + len(written) + 1
    # The writer went on after the snapshot, so the live vault has moved past the copy.
    assert sam.one("SELECT count(*) FROM cases")[0] > info["cases"]


def test_restore_round_trip_keeps_every_case_and_audit_entry(vault_path, login, tmp_path):
    sam = login("sam")
    add_cases(sam, 20)
    out = tmp_path / "v.backup"
    make_backup(sam, out)
    # The backup entry itself comes after the snapshot, in the live vault only.
    last = audit.entries(sam.conn)[-1]
    assert last["action"] == "backup.write" and last["kind"] == "administration"
    snap_seq = last["detail"]["head_seq"]
    cases_before = _all(sam, "SELECT * FROM cases ORDER BY id")
    nominals_before = _all(sam, "SELECT * FROM nominals ORDER BY id")
    audit_before = _all(sam, f"SELECT * FROM audit WHERE seq <= {snap_seq} ORDER BY seq")

    target = tmp_path / "restored" / "vault.db"
    target.parent.mkdir()
    restored = restore_backup(out, target, "ada", PASS["ada"])
    try:
        assert _all(restored, "SELECT * FROM cases ORDER BY id") == cases_before
        assert _all(restored, "SELECT * FROM nominals ORDER BY id") == nominals_before
        assert _all(restored, f"SELECT * FROM audit WHERE seq <= {snap_seq} ORDER BY seq") == audit_before
        after = [e["action"] for e in audit.entries(restored.conn) if e["seq"] > snap_seq]
        assert after == ["unlock", "vault.restore"]
        assert restored.verify_audit().ok
        assert backup_age_days(restored.conn) is not None
    finally:
        restored.close()
    # Every user of the original opens the restored copy with their own passphrase.
    for name in ("rita", "sue"):
        s = open_vault(target, name, PASS[name])
        assert s.verify_audit().ok
        s.close()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_restore_never_over_an_existing_vault(vault_path, login, tmp_path):
    sam = login("sam")
    out = tmp_path / "v.backup"
    make_backup(sam, out)
    before = digest(vault_path)
    with pytest.raises(BadInput, match="already exists"):
        restore_backup(out, vault_path, "sam", PASS["sam"])
    assert digest(vault_path) == before


def test_reviewer_may_not_back_up_or_restore(vault_path, login, tmp_path):
    with pytest.raises(Refused):
        make_backup(login("rita"), tmp_path / "x.backup")
    assert not (tmp_path / "x.backup").exists()
    out = tmp_path / "v.backup"
    make_backup(login("ada"), out)
    with pytest.raises(Refused):
        restore_backup(out, tmp_path / "new.db", "rita", PASS["rita"])
    assert not (tmp_path / "new.db").exists() and not (tmp_path / "new.db.keys").exists()


def test_wrong_passphrase_and_tampering_are_caught(vault_path, login, tmp_path):
    out = tmp_path / "v.backup"
    add_cases(login("sam"), 3)
    make_backup(login("sam"), out)
    with pytest.raises(AuthFailed):
        verify_backup(out, "sam", "not the passphrase at all")
    # Rewrite the manifest's head to claim a longer log: the MAC and the head check both object.
    import json
    with zipfile.ZipFile(out) as z:
        members = {n: z.read(n) for n in z.namelist()}
    m = json.loads(members["manifest.json"])
    m["audit_head"]["seq"] += 5
    members["manifest.json"] = json.dumps(m).encode()
    forged = tmp_path / "forged.backup"
    with zipfile.ZipFile(forged, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    report = verify_backup(forged, "sam", PASS["sam"])
    assert not report["ok"]
    assert any("authentication" in p for p in report["problems"])
    assert any("cut off" in p for p in report["problems"])
    with pytest.raises(TriageError, match="nothing was restored"):
        restore_backup(forged, tmp_path / "r.db", "sam", PASS["sam"])
    assert not (tmp_path / "r.db").exists()
    (tmp_path / "junk.backup").write_bytes(b"not a zip")
    with pytest.raises(BadInput, match="not a triage-app backup"):
        verify_backup(tmp_path / "junk.backup", "sam", PASS["sam"])


def test_backup_age_and_reminder(vault_path, login, tmp_path):
    ada = login("ada")
    assert backup_age_days(ada.conn) is None
    assert "never" in backup_reminder(ada)
    make_backup(ada, tmp_path / "v.backup")
    assert backup_age_days(ada.conn) < 1
    assert backup_reminder(ada) is None
    later = datetime.now(timezone.utc) + timedelta(days=30)
    assert 29 < backup_age_days(ada.conn, later) < 31
    assert "30 days" in backup_reminder(ada, later)
    assert backup_reminder(login("rita"), later) is None  # a reviewer can't act on it
    with pytest.raises(BadInput, match="already exists"):
        make_backup(ada, tmp_path / "v.backup")

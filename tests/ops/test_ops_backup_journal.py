"""A backup whose audit entry committed but whose rename did not happen is finished at the next unlock."""
import pytest

from tests.conftest import PASS
from triage_app import audit
from triage_app.ops import backup
from triage_app.session import open_vault


def test_a_rename_cut_short_is_finished_at_the_next_unlock(vault_path, login, tmp_path, monkeypatch):
    s = login("sam")
    out = tmp_path / "nightly.tbak"
    real_finish = backup._finish
    monkeypatch.setattr(backup, "_finish", lambda *a: (_ for _ in ()).throw(SystemExit("killed")))
    with pytest.raises(SystemExit):
        backup.make_backup(s, out)
    s.close()
    assert not out.exists() and out.with_name(out.name + ".partial").exists()
    monkeypatch.setattr(backup, "_finish", real_finish)

    s2 = open_vault(vault_path, "sue", PASS["sue"])
    assert out.exists() and not out.with_name(out.name + ".partial").exists()
    assert [e["detail"]["file"] for e in audit.entries(s2.conn) if e["action"] == "backup.write"] == ["nightly.tbak"]
    assert s2.one("SELECT count(*) FROM pending_backups")[0] == 0
    backup.verify_backup(out, "sam", PASS["sam"])
    s2.close()


def test_a_backup_cut_short_before_its_entry_leaves_no_backup(vault_path, login, tmp_path, monkeypatch):
    s = login("sam")
    out = tmp_path / "nightly.tbak"
    monkeypatch.setattr(backup.audit, "append", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("killed")))
    with pytest.raises(RuntimeError):
        backup.make_backup(s, out)
    assert not out.exists() and not out.with_name(out.name + ".partial").exists()

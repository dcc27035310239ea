"""`triage-app demo`: a separate vault of synthetic cases, opened straight into the queue."""
from __future__ import annotations

from triage_app.demo import vault as demo
from triage_app.vault.keyslots import KeyFile


def test_demo_vault_is_made_once_and_opens_as_the_reviewer(tmp_path, qtbot, gui_settings):
    path = tmp_path / "demo-vault.db"
    assert demo.ensure_demo_vault(path, cases=30) == path
    stamp = path.stat().st_mtime_ns
    assert demo.ensure_demo_vault(path, cases=30) == path      # reused, not remade
    assert path.stat().st_mtime_ns == stamp
    assert set(KeyFile.load(path).users()) == set(demo.CREDENTIALS)
    session = demo.open_as_reviewer(path)
    try:
        assert session.role == "reviewer"
        assert session.one("SELECT count(*) FROM cases")[0] == 30
        roles = dict(session.query("SELECT name, role FROM users"))
        assert roles == demo.ROLES
    finally:
        session.close()

    from triage_app.gui.app import make_window
    w = make_window(path, settings=gui_settings, demo_credentials=demo.CREDENTIALS)
    qtbot.addWidget(w)
    w.holder.adopt(demo.open_as_reviewer(path))
    w.show()
    assert w.stack.currentWidget() is w.workspace            # straight into the queue
    assert w.demo_notice.isVisible() and "DEMO — synthetic data" in w.demo_notice.text()
    assert w.queue.model.total == 30
    w.lock_now()
    # After a lock the demo credentials are on the unlock screen.
    assert w.unlock.demo.isVisible()
    for user, passphrase in demo.CREDENTIALS.items():
        assert f"{user}: {passphrase}" in w.unlock.demo.text()


def test_demo_never_uses_the_real_vault_path(monkeypatch, tmp_path):
    from triage_app import paths
    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path)
    assert paths.demo_vault_path() != paths.default_vault_path()
    assert paths.demo_vault_path().name == "demo-vault.db"


def test_a_new_demo_vault_is_made_behind_a_progress_window(qtbot, tmp_path):
    from triage_app.gui.app import application, prepare_demo_vault
    application()
    path = tmp_path / "demo" / "demo-vault.db"
    assert prepare_demo_vault(path, 20) is None
    assert demo.demo_vault_exists(path)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    problem = prepare_demo_vault(blocked / "demo-vault.db", 20)
    assert problem and problem.endswith(".") and "\n" not in problem
    assert not (blocked / "demo-vault.db").exists()

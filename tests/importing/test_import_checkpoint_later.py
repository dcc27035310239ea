"""An import's COMMIT writes its pages to the write-ahead log and does not copy them into the vault file
as well (SQLite's automatic checkpoint: ~60 % of a first import's COMMIT); a background checkpoint on its
own connection does that after (vault/checkpoint.py). Nothing may be lost or left half-way by it."""
from __future__ import annotations

import shutil
import time

import pytest

from triage_app import importing, linking
from triage_app.demo.synthetic import generate
from triage_app.session import Session
from triage_app.vault import checkpoint, connection


def _cases_in_the_file_alone(s, tmp_path) -> int:
    """The cases the vault file holds without its WAL (a copy of the file on its own, opened)."""
    copy = tmp_path / "alone" / "vault.db"
    copy.parent.mkdir()
    shutil.copyfile(s.path, copy)
    conn = connection.connect(copy, bytearray(s.vault_key()))
    try:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    finally:
        conn.close()


def test_the_commit_leaves_the_copy_to_the_background_which_copies_every_page(login, tmp_path, monkeypatch):
    s = login("sam")
    before = s.one("PRAGMA wal_autocheckpoint")[0]
    at_commit = []
    commit = Session._commit
    monkeypatch.setattr(Session, "_commit", lambda self: at_commit.append(
        self.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]) or commit(self))
    importing.run(s, *generate(300, seed=3).write_csv(tmp_path))
    assert at_commit == [0]                              # no checkpoint inside the import's COMMIT
    assert s.one("PRAGMA wal_autocheckpoint")[0] == before > 0   # and the setting back for other changes
    done = s.wait_checkpoint()
    assert done is not None and done.error is None
    busy, pages, copied = done.result
    assert busy == 0 and pages > 100 and copied == pages    # every page of the WAL into the vault file
    assert _cases_in_the_file_alone(s, tmp_path) == 300


def test_without_the_background_checkpoint_the_file_alone_would_lack_the_import(login, tmp_path, monkeypatch):
    """What the test above rests on: the COMMIT really leaves the pages in the WAL (all of them still
    readable through the vault), so it is the background checkpoint that brings the file up to date."""
    s = login("sam")
    started = []
    monkeypatch.setattr(checkpoint, "Background", lambda path, key: started.append(path))
    importing.run(s, *generate(300, seed=3).write_csv(tmp_path))
    assert started == [s.path]
    assert s.one("SELECT count(*) FROM cases")[0] == 300
    assert _cases_in_the_file_alone(s, tmp_path) == 0


def test_lock_waits_for_the_background_checkpoint_before_it_overwrites_the_key(login, tmp_path, monkeypatch):
    s = login("sam")
    run = checkpoint.Background._run
    keys_seen = []

    def slow(self, path, key):
        time.sleep(0.3)
        keys_seen.append(any(key))                       # the key still whole when it connects
        run(self, path, key)
    monkeypatch.setattr(checkpoint.Background, "_run", slow)
    importing.run(s, *generate(60, seed=3).write_csv(tmp_path))
    background = s._checkpoint
    assert background is not None and background.running
    s.close()
    assert not background.running and keys_seen == [True]
    assert background.error is None and background.result[0] == 0


def test_a_failed_import_starts_no_checkpoint_and_puts_the_setting_back(login, tmp_path, monkeypatch):
    s = login("sam")
    before = s.one("PRAGMA wal_autocheckpoint")[0]

    def fail(*a, **k):
        raise RuntimeError("the disk went away")
    monkeypatch.setattr(linking, "relink", fail)
    with pytest.raises(RuntimeError):
        importing.run(s, *generate(60, seed=3).write_csv(tmp_path))
    assert s.wait_checkpoint() is None
    assert s.one("PRAGMA wal_autocheckpoint")[0] == before


def test_a_checkpoint_that_cannot_open_the_vault_says_so_and_loses_nothing(login, tmp_path, monkeypatch):
    s = login("sam")
    monkeypatch.setattr(connection, "connect", lambda *a, **k: (_ for _ in ()).throw(
        connection.VaultUnavailable("The vault is busy.")))
    importing.run(s, *generate(60, seed=3).write_csv(tmp_path))
    done = s.wait_checkpoint()
    assert done.error == "The vault is busy." and done.result is None
    monkeypatch.undo()
    assert s.one("SELECT count(*) FROM cases")[0] == 60     # the pages are read from the WAL
    s.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")         # and a later checkpoint copies them
    assert _cases_in_the_file_alone(s, tmp_path) == 60

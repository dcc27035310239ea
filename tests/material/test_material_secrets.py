"""No plaintext of an attachment on disk: a marker inside an attached PDF (and raw slices of the file
itself) never appear in the vault, its WAL, its other files, the temp folders, or any file the desktop
app writes while attaching, viewing every page, locking and quitting in a real process.

Extends the marker scan of tests/reliability/test_reliability_secrets.py (utf-8 and utf-16 markers)
with slices of the attached file's raw bytes, so a copy of the file — even of its compressed parts —
is caught wherever it lands.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import PASS
from tests.material import files
from tests.reliability import clirun

MARKER = files.MARKER


def _needles(data: bytes) -> list[bytes]:
    """The marker in the encodings an app might write, and 48-byte slices across the whole file."""
    out = [MARKER.encode("utf-8"), MARKER.encode("utf-16-le"), MARKER.encode("utf-16-be")]
    step = max(len(data) // 24, 48)
    out += [data[i:i + 48] for i in range(0, len(data) - 48, step)]
    return out


def _holding(root, needles, *, deep: bool = True) -> list[str]:
    """Files under `root` (or, not deep, directly in it) holding any needle."""
    found = []
    for p in sorted(root.rglob("*") if deep else root.iterdir()):
        if p.is_file() and not p.is_symlink():
            blob = p.read_bytes()
            hits = [n for n in needles if n in blob]
            if hits:
                found.append(f"{p.relative_to(root)} ({len(hits)} needles)")
    return found


def test_no_plaintext_of_an_attached_pdf_on_disk_after_attaching_viewing_and_locking(vault_path, login, case,
                                                                                      tmp_path):
    login("sam").close()
    source = tmp_path / "source"          # the reviewer's own file: plaintext by nature, not scanned
    source.mkdir()
    pdf = files.pdf(pages=3)
    (source / "statement.pdf").write_bytes(pdf)
    (source / "photo.png").write_bytes(files.png())
    watched = tmp_path / "watched"        # every place the app may write, besides the vault's folder
    dirs = {name: watched / name for name in ("tmp", "home", "cache", "data", "config", "runtime")}
    for d in dirs.values():
        d.mkdir(parents=True, mode=0o700)
    env = clirun.env_for(TMPDIR=str(dirs["tmp"]), SQLITE_TMPDIR=str(dirs["tmp"]), HOME=str(dirs["home"]),
                         XDG_CACHE_HOME=str(dirs["cache"]), XDG_DATA_HOME=str(dirs["data"]),
                         XDG_CONFIG_HOME=str(dirs["config"]), XDG_RUNTIME_DIR=str(dirs["runtime"]),
                         QT_QPA_PLATFORM="offscreen")
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from PySide6.QtCore import QSettings
        from triage_app.gui import settings as S
        from triage_app.gui.app import make_window
        from triage_app.material import attachments
        w = make_window({str(vault_path)!r}, settings=S.Settings(QSettings({str(dirs['config'] / 'app.ini')!r},
                                                                           QSettings.Format.IniFormat)))
        w.show()
        session = w.holder.unlock("rita", {PASS['rita']!r})
        attachments.add(session, {case!r}, Path({str(source / 'statement.pdf')!r}), "Witness statement")
        attachments.add(session, {case!r}, Path({str(source / 'photo.png')!r}), "Photograph")
        w.open_case({case!r})
        view = w.tabs.currentWidget()
        view.tabs.setCurrentWidget(view.material)
        tab = view.material
        tab.reload()
        tab.file_table.selectRow(0)
        tab.view_selected()
        for page in range(3):
            tab.viewer.show_page(page)
            assert tab.viewer.showing(), page
            w.repaint()
        tab.file_table.selectRow(1)
        tab.view_selected()
        assert tab.viewer.showing()
        # while it is open and on screen: the WAL and every file so far
        print("OPEN-SCAN-POINT", flush=True)
        sys.stdin.readline()
        w.holder.lock()
        assert not tab.viewer.showing()
        w.close()
        print("DONE", flush=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=str(watched))
    try:
        line = child.stdout.readline()
        assert line.strip() == "OPEN-SCAN-POINT", child.stderr.read()
        needles = _needles(pdf)
        wal = vault_path.with_name(vault_path.name + "-wal")
        assert wal.exists()
        beside = sorted(p.name for p in vault_path.parent.iterdir() if p.is_file())
        assert {"vault.db", "vault.db-wal", "vault.db.keys"} <= set(beside), beside
        while_open = _holding(vault_path.parent, needles, deep=False) + _holding(watched, needles)
        child.stdin.write("\n")
        child.stdin.flush()
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0 and "DONE" in out, err
    assert while_open == []
    assert _holding(vault_path.parent, needles, deep=False) == []
    assert _holding(watched, needles) == []
    # The scan does find the file where it really is in plaintext (the reviewer's own copy).
    assert [f.split(" ")[0] for f in _holding(source, needles)] == ["statement.pdf"]


def test_an_export_is_the_one_way_out_and_the_scan_sees_it(vault_path, login, case, tmp_path, put):
    """The scanner's positive control: an audited export writes the plaintext where it was asked to."""
    from triage_app.material import attachments
    pdf = files.pdf()
    rita = login("rita")
    row = attachments.add(rita, case, put("s.pdf", pdf), "Statement")
    out = tmp_path / "exports"
    out.mkdir()
    attachments.export(rita, case, row["id"], out / "s.pdf", "CPS advice")
    assert _holding(out, _needles(pdf)) != []
    assert _holding(vault_path.parent, [MARKER.encode()], deep=False) == []

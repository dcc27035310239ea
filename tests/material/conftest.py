"""A synthetic case to hang material on, and files to attach (see files.py)."""
import pytest

from tests.gui.conftest import gui_settings, make_main  # noqa: F401 (fixtures)
from tests.pack.conftest import REF, VICTIM, add_case  # noqa: F401  (one synthetic case for both suites)


@pytest.fixture
def case(login):
    """REF: a case with a victim and a suspect (synthetic names)."""
    add_case(login("sam"), REF, rationale="No further action.")
    return REF


@pytest.fixture
def rita(login, case):
    return login("rita")


@pytest.fixture
def put(tmp_path):
    """put('name.pdf', data) → the path of a new file in a folder of its own."""
    folder = tmp_path / "in"
    folder.mkdir()

    def _put(name: str, data: bytes):
        p = folder / name
        p.write_bytes(data)
        return p

    return _put


def counts(session) -> dict:
    return {t: session.one(f"SELECT count(*) FROM {t}")[0]
            for t in ("attachments", "attachment_content", "intel_items", "intel_sanitisations", "audit")}

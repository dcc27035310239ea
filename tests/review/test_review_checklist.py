import pytest

from triage_app.errors import BadInput, NotFound
from triage_app.review import checklist


def test_shipped_checklist_meets_the_issue():
    cl = checklist.current()
    assert (cl.id, cl.version) == ("nfa-cse-review", 1)
    assert len(cl.items) >= 15
    assert len(cl.mandatory_ids) >= 5
    assert "suspects_alive" in cl.mandatory_ids
    for it in cl.items:
        assert len(it.guidance) > 60, it.id          # something a new reviewer can act on
        assert it.section in dict(cl.sections)
        for answer, s in it.suggests.items():
            assert answer in checklist.ANSWERS and s.priority in checklist.PRIORITIES and s.title


def test_rows_have_the_json_shape_of_design():
    rows = checklist.current().as_rows()
    for row in rows:
        assert {"id", "section", "text", "mandatory"} <= set(row)
        assert isinstance(row["mandatory"], bool)


def test_highest_version_is_current_and_old_versions_stay_loadable(tmp_path, monkeypatch):
    src = checklist.resource("checklists", "nfa_cse_review_v1.toml").read_text("utf-8")
    (tmp_path / "v1.toml").write_text(src, "utf-8")
    (tmp_path / "v2.toml").write_text(src.replace("version = 1", "version = 2", 1), "utf-8")
    monkeypatch.setattr(checklist, "_folder", lambda: str(tmp_path))
    assert checklist.current().version == 2
    assert checklist.load("nfa-cse-review", 1).version == 1
    with pytest.raises(NotFound):
        checklist.load("nfa-cse-review", 7)


def test_a_broken_checklist_is_one_sentence(tmp_path, monkeypatch):
    (tmp_path / "bad.toml").write_text("[checklist]\nid = 'x'\n", "utf-8")
    monkeypatch.setattr(checklist, "_folder", lambda: str(tmp_path))
    with pytest.raises(BadInput, match=r"^The checklist file bad.toml is not a valid checklist"):
        checklist.current()


def test_unknown_item_names_the_checklist_version():
    with pytest.raises(BadInput, match="nfa-cse-review v1 has no item 'nope'"):
        checklist.current().item("nope")

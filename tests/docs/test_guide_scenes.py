"""The user guide's pictures can be re-taken on today's desktop: every scene of scripts/guide_scenes.py
(the one scripts/screenshots drives) still sets the app up, here offscreen on a small demo vault. When a
screen changes and a scene breaks, this fails first; fix the scene, then re-take the pictures."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _scenes():
    spec = importlib.util.spec_from_file_location("guide_scenes", ROOT / "scripts" / "guide_scenes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_scene_sets_the_app_up(qtbot, tmp_path):
    scenes = _scenes()
    refs = scenes.prepare(tmp_path, cases=150)
    assert len(set(refs.values())) >= 4          # distinct cases for reading, review, submitted, approved
    for name in scenes.SCENES:
        w = scenes.build(tmp_path, name, on_screen=False)
        qtbot.addWidget(w)
        if name.startswith("case-") or name in ("chart", "chronology") or name.startswith("review-"):
            assert w.tabs.count() >= 2, name     # a case is open
        if name == "unlock":
            assert w.holder.session is None
        if name == "inbox":
            assert "Review version" in w.tabs.currentWidget().view.toPlainText()
        w.holder.lock()
        w.close()

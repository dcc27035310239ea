"""The user guide stays complete and inside the repository: every keyboard shortcut the app declares is
in its table, every picture it shows exists (and every scene scripts/screenshots takes is shown), its
links resolve, and nothing a user reads points outside the repository (users never have ../shared)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GUIDE = (DOCS / "USER_GUIDE.md").read_text(encoding="utf-8")


def test_every_keyboard_shortcut_is_in_the_guide():
    import importlib
    import pkgutil
    import triage_app.gui
    for module in pkgutil.iter_modules(triage_app.gui.__path__):   # each screen adds its keys to the list
        importlib.import_module(f"triage_app.gui.{module.name}")
    from triage_app.gui.help import SHORTCUTS
    table = GUIDE[GUIDE.index("## Keyboard shortcuts"):].split("\n## ", 1)[0]
    missing = [f"{keys} ({name})" for name, (keys, _does) in SHORTCUTS.items()
               if not all(f"`{k.strip()}`" in table for k in keys.split(" / "))]
    assert not missing, f"add to the Keyboard shortcuts table of docs/USER_GUIDE.md: {', '.join(missing)}"


def test_every_key_in_the_guide_is_in_the_f1_list():
    """The other way round: a key the guide teaches is also in the app's own list (F1), so a reviewer
    who asks the app is told the same (P / Shift+P, Ctrl+Enter were only in the guide)."""
    import importlib
    import pkgutil
    import triage_app.gui
    for module in pkgutil.iter_modules(triage_app.gui.__path__):
        importlib.import_module(f"triage_app.gui.{module.name}")
    from triage_app.gui.help import SHORTCUTS
    declared = {k.strip() for keys, _does in SHORTCUTS.values() for k in keys.split(" / ")}
    table = GUIDE[GUIDE.index("## Keyboard shortcuts"):].split("\n## ", 1)[0]
    taught = [k for row in table.splitlines() if row.startswith("| `")
              for k in re.findall(r"`([^`]+)`", row.split(" | ")[0])]
    missing = [k for k in taught if k not in declared and k != "Alt"]   # Alt + letter: mnemonics, not keys
    assert taught and not missing, f"add to SHORTCUTS (triage_app/gui/help.py or the screen's module): {missing}"


def test_every_picture_exists_and_every_scene_is_shown():
    import importlib.util
    spec = importlib.util.spec_from_file_location("guide_scenes", ROOT / "scripts" / "guide_scenes.py")
    scenes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scenes)
    shown = re.findall(r"!\[[^\]]+\]\((screenshots/[^)]+)\)", GUIDE)
    assert shown and all((DOCS / s).is_file() for s in shown), [s for s in shown if not (DOCS / s).is_file()]
    assert {f"screenshots/{file}" for file, _what in scenes.SCENES.values()} <= set(shown)


def test_links_between_the_pages_resolve():
    for page in DOCS.glob("*.md"):
        for target in re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).is_file(), (page.name, target)
    for anchor in re.findall(r"\]\(#([^)]+)\)", GUIDE):
        from triage_app.gui.guide import anchor as slug
        headings = {slug(h) for h in re.findall(r"^#+ (.+)$", GUIDE, re.M)}
        assert anchor in headings, anchor


def test_nothing_a_user_reads_points_outside_the_repository():
    hits = []
    for top in ("README.md", "docs", "triage_app", "resources"):
        base = ROOT / top
        for path in [base] if base.is_file() else base.rglob("*"):
            if path.is_file() and path.suffix in (".md", ".py", ".toml", ".txt", ".qss", ".json", ".csv", ".svg"):
                for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                    if "shared/" in line:
                        hits.append(f"{path.relative_to(ROOT)}:{n}")
    assert not hits, f"these point at ../shared, which users never have: {hits}"

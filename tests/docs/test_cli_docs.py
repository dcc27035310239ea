"""docs/CLI.md is the parser written out: it fails the moment a command, option or help text changes
without the page being regenerated."""
import difflib
from pathlib import Path

from triage_app.cli.docs import REGENERATE, render

PAGE = Path(__file__).resolve().parents[2] / "docs" / "CLI.md"


def test_cli_page_matches_the_parser():
    want = render()
    have = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
    if have != want:
        diff = "".join(list(difflib.unified_diff(have.splitlines(True), want.splitlines(True), "docs/CLI.md",
                                                 "the parser"))[:40])
        raise AssertionError(f"docs/CLI.md differs from the command line. Regenerate it with:\n    {REGENERATE}\n{diff}")


def test_every_command_is_on_the_page():
    from triage_app.cli.main import build_parser
    text = PAGE.read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.choices and isinstance(a.choices, dict))
    for name in sub.choices:
        assert f"### triage-app {name}\n" in text

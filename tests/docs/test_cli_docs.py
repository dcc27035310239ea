"""docs/CLI.md is the parser written out: it fails the moment a command, option or help text changes
without the page being regenerated."""
import difflib
import subprocess
import sys
from pathlib import Path

from triage_app.cli.docs import REGENERATE

PAGE = Path(__file__).resolve().parents[2] / "docs" / "CLI.md"


def test_cli_page_matches_the_parser():
    # The page is rendered by the regenerate command itself, in a fresh interpreter, and read in the
    # same moment: never from command modules this test process imported minutes earlier (in a long
    # parallel run a landing can change the sources and the page under it) or that other tests in
    # this process have touched.
    want = subprocess.run([sys.executable, "-m", "triage_app.cli.docs"], cwd=PAGE.parents[1], check=True,
                          capture_output=True, text=True, encoding="utf-8").stdout
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

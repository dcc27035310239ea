"""Every benchmark answers --help with what it measures and how to run it, and runs nothing."""
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py")))
def test_a_benchmark_answers_help_with_its_description(script, tmp_path):
    out = subprocess.run([sys.executable, str(BENCH / script), "--help"], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-500:]
    assert "Traceback" not in out.stderr
    text = out.stdout.strip()
    assert len(text.splitlines()) >= 2, text[:300]
    assert "python" in text.lower() or text.startswith("usage:"), text[:300]   # says how it is run
    assert not list(tmp_path.iterdir())        # nothing made: it only answered

"""SIGKILL at random moments during an import, a review save, a sign-off and a backup: after every
kill the vault opens, both integrity checks are clean, the audit chain verifies, and the operation
is wholly there or wholly absent. KILL_RUNS=200 for a long run."""
from __future__ import annotations

import os
import random

import pytest

from tests.reliability import harness, tally


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return harness.build_base(tmp_path_factory.mktemp("kill-base"))


@pytest.mark.parametrize("name", list(harness.OPERATIONS))
def test_killed_at_random_moments_the_vault_is_whole(base, tmp_path, name):
    op = harness.OPERATIONS[name]
    seed = int(os.environ.get("KILL_SEED", "0")) or random.randrange(1 << 30)
    # Printed before the runs, so a failing run can be replayed with KILL_SEED (pytest shows a failed
    # test's captured output; -s shows it live).
    print(f"{name}: KILL_SEED={seed}", flush=True)
    rng = random.Random(seed)
    outcomes = harness.kill_many(op, base, tmp_path, harness.DEFAULT_RUNS, rng)
    kills = sum(o.killed for o in outcomes)
    present = sum(o.state == "present" for o in outcomes)
    tally.add("kill", "runs", len(outcomes))
    tally.add("kill", "kills", kills)
    tally.add("kill", "outcomes_whole", len(outcomes))  # each run got here only if its judge passed
    tally.add(f"kill[{name}]", "runs", len(outcomes))
    tally.add(f"kill[{name}]", "kills", kills)
    tally.add(f"kill[{name}]", "present", present)
    tally.add(f"kill[{name}]", "absent", len(outcomes) - present)
    print(f"{name}: seed {seed}, {len(outcomes)} runs, {kills} killed mid-way, {present} present, "
          f"{len(outcomes) - present} absent, all whole")
    # Both sides must be seen over the runs, or the kill timing missed the operation entirely.
    assert kills > 0

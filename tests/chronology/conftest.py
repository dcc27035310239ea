"""A generated linked cluster with known dates, imported through the real import path."""
from __future__ import annotations

import pytest

from triage_app import importing
from triage_app.demo.cluster import generate_cluster
from triage_app.review import checklist, workflow


@pytest.fixture
def cluster(login, tmp_path):
    c = generate_cluster(12, seed=5)
    cases_csv, nominals_csv = c.write_csv(tmp_path / "export")
    importing.run(login("sam"), cases_csv, nominals_csv)
    return c


def approve_review(login, ref: str) -> None:
    """rita reviews `ref` and sam approves it: review events, and a case a pack can be made of."""
    rita, sam = login("rita"), login("sam")
    workflow.start_review(rita, ref)
    for item_id in checklist.current().mandatory_ids:
        workflow.answer_item(rita, ref, item_id, "no")
    workflow.recommend(rita, ref, "refer", "Lines of inquiry never followed.")
    workflow.submit(rita, ref)
    workflow.decide(sam, ref, "return", "Say more about the phones.")
    workflow.answer_item(rita, ref, checklist.current().mandatory_ids[0], "no", note="Phones never examined.")
    workflow.submit(rita, ref)
    workflow.decide(sam, ref, "approve", "Agreed.")


def victim_values(c) -> list[str]:
    """Every identifier of every victim as written, in the forms a text might carry."""
    out = []
    for v in c.victims:
        out += [v["forenames"], v["surname"], v["address"], v["postcode"], v["phone"], v["phone"].replace(" ", ""),
                v["dob"].isoformat(), v["dob"].strftime("%d/%m/%Y")]
    return out

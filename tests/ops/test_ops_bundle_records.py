"""Bundles carry a case's chronology (events and dismissed proposals, migration 70) and the provenance
of answers confirmed from proposals (review_answer_proposals, migration 31), as they carry the rest."""
import pytest

from tests.conftest import PASS
from tests.ops.test_ops_bundle import BUNDLE_PASS, other_vault  # noqa: F401  (fixture)
from tests.proposals.conftest import SUMMARY, add_case
from triage_app.chronology import store
from triage_app.ops.bundle import export_bundle, import_bundle
from triage_app.review import checklist, workflow
from triage_app.review.proposals import service
from triage_app.vault.keyslots import CHEAP_KDF

REF = "CR/2013/000301"
DATED = SUMMARY + " Lucy told her teacher on 14/02/2012. Her mother reported it on 3 March 2012. A friend was spoken to on 2012-03-09."


def _records(session, ref):
    """Everything the bundle must carry for these tables, without the row ids each vault assigns."""
    cid = session.one("SELECT id FROM cases WHERE ref = ?", (ref,))[0]
    events = session.query("SELECT event_date, text, source, origin, field, start, added_by, added_at "
                           "FROM chronology_events WHERE case_id = ? ORDER BY event_date, text", (cid,))
    dismissed = session.query("SELECT field, start, event_date, dismissed_by, dismissed_at FROM chronology_dismissed "
                              "WHERE case_id = ? ORDER BY field, start", (cid,))
    proposals = session.query("SELECT r.version, p.item_id, p.answer, p.rule, p.rules_id, p.rules_version, "
                              "p.checklist_id, p.checklist_version, p.evidence, p.confirmed_by, p.confirmed_at "
                              "FROM review_answer_proposals p JOIN reviews r ON r.id = p.review_id "
                              "WHERE r.case_id = ? ORDER BY r.version, p.item_id", (cid,))
    review = session.one("SELECT id FROM reviews WHERE case_id = ? ORDER BY version DESC", (cid,))[0]
    return ([tuple(r) for r in events], [tuple(r) for r in dismissed], [tuple(r) for r in proposals],
            service.provenance(session.conn, review))


@pytest.fixture
def worked_case(login):
    """A case reviewed and approved, two answers confirmed from proposals, three chronology events
    (one added, two confirmed from its text, one reworded) and one date proposal dismissed."""
    sam, rita = login("sam"), login("rita")
    add_case(sam, REF, summary=DATED)
    workflow.start_review(rita, REF)
    proposed = [p["item"] for p in service.compute(rita.conn, REF)["proposals"]]
    assert len(proposed) >= 2
    for item in proposed[:2]:
        service.accept(rita, REF, item)
    cl = checklist.current()
    for item in cl.mandatory_ids:
        if item not in proposed[:2]:
            workflow.answer_item(rita, REF, item, "no" if cl.item(item).yes_needs else "yes")
    store.add_event(rita, REF, "2012-02-20", "Strategy meeting held", "minutes")
    found = store.found(rita.conn, REF)
    assert len(found) >= 3
    store.confirm(rita, REF, found[0].id)
    store.confirm(rita, REF, found[1].id, text="Mother reported to police")
    store.dismiss(rita, REF, found[2].id)
    workflow.recommend(rita, REF, "reopen", "new lines of inquiry")
    workflow.submit(rita, REF)
    workflow.decide(sam, REF, "approve")
    events, dismissed, proposals, provenance = _records(sam, REF)
    assert len(events) == 3 and len(dismissed) == 1 and len(proposals) == 2 and len(provenance) == 2
    return sam


def test_chronology_and_proposal_records_travel_whole(worked_case, other_vault, tmp_path):
    sam = worked_case
    out = tmp_path / "worked.bundle"
    export_bundle(sam, [REF], out, BUNDLE_PASS, kdf=CHEAP_KDF)
    result = import_bundle(other_vault, out, BUNDLE_PASS)
    assert result["added"] == [REF] and result["conflicts"] == []
    assert _records(other_vault, REF) == _records(sam, REF)
    # What is on the chronology stays there: its dates are not offered again in the new vault.
    assert [f.id for f in store.found(other_vault.conn, REF)] == [f.id for f in store.found(sam.conn, REF)]
    assert other_vault.verify_audit().ok


def test_a_differing_chronology_is_a_conflict_never_overwritten(worked_case, other_vault, tmp_path, login):
    sam = worked_case
    first = tmp_path / "first.bundle"
    export_bundle(sam, [REF], first, BUNDLE_PASS, kdf=CHEAP_KDF)
    import_bundle(other_vault, first, BUNDLE_PASS)
    # The same case again, unchanged: already present.
    again = tmp_path / "again.bundle"
    export_bundle(sam, [REF], again, BUNDLE_PASS, kdf=CHEAP_KDF)
    assert import_bundle(other_vault, again, BUNDLE_PASS)["already_present"] == [REF]
    # An event added at the source since: a conflict, and the copy here is left as it was.
    store.add_event(login("rita"), REF, "2012-04-01", "Case file reviewed by DS", "notebook")
    here = _records(other_vault, REF)
    later = tmp_path / "later.bundle"
    export_bundle(sam, [REF], later, BUNDLE_PASS, kdf=CHEAP_KDF)
    result = import_bundle(other_vault, later, BUNDLE_PASS)
    assert result["conflicts"] == [{"ref": REF, "what": "the chronology differs"}]
    assert _records(other_vault, REF) == here

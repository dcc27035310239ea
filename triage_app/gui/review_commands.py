"""Undo and redo for the review workspace: one QUndoCommand per domain change.

Every edit is saved at once through the workflow service the command line uses; the command is
pushed only after that save succeeded, so its first redo() does nothing. Undo is the compensating
service call (the earlier value again, or `withdraw` when there was none), itself an audited change.
"""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from triage_app.review import workflow
from triage_app.review.withdraw import withdraw


class ServiceCommand(QUndoCommand):
    """`forward(session)` and `back(session)` are service calls; `runner(fn)` runs one against the
    open session and reports a refusal (the workspace then drops the history it can't honour)."""

    def __init__(self, text: str, runner, forward, back):
        super().__init__(text)
        self._run = runner
        self._forward = forward
        self._back = back
        self._saved = True          # the edit was saved before the command was pushed

    def redo(self):
        if self._saved:
            self._saved = False
            return
        self._run(self._forward)

    def undo(self):
        self._run(self._back)


def answer(runner, ref, item_id, before, after) -> ServiceCommand:
    """before/after: (answer, note) or None for 'not answered'."""
    def put(value):
        if value is None:
            return lambda s: withdraw(s, ref, "answer", item_id)
        return lambda s: workflow.answer_item(s, ref, item_id, value[0], value[1])
    what = "note" if before and after and before[0] == after[0] else f"answer {after[0] if after else 'none'}"
    return ServiceCommand(f"{what} on {item_id}", runner, put(after), put(before))


def raise_inquiry(runner, ref, number: int, fields: dict) -> ServiceCommand:
    """Undo withdraws the inquiry; redo raises it again (with the number the core gives it then)."""
    state = {"number": number}

    def forward(s):
        state["number"] = workflow.raise_inquiry(s, ref, **fields)

    return ServiceCommand(f"raise line of inquiry {fields.get('title') or fields.get('from_item')}"[:80], runner,
                          forward, lambda s: withdraw(s, ref, "inquiry", state["number"]))


def inquiry_status(runner, ref, number: int, before: str, after: str) -> ServiceCommand:
    return ServiceCommand(f"status of inquiry {number}: {after}", runner,
                          lambda s: workflow.set_inquiry_status(s, ref, number, after),
                          lambda s: workflow.set_inquiry_status(s, ref, number, before))


def contact(runner, ref, fields: dict) -> ServiceCommand:
    """Undo withdraws the contact recorded last (the one this command recorded: edits are serial)."""
    return ServiceCommand("record victim contact", runner,
                          lambda s: workflow.record_contact(s, ref, **fields),
                          lambda s: withdraw(s, ref, "contact"))


def recommendation(runner, ref, before, after) -> ServiceCommand:
    """before/after: (recommendation, rationale) or None."""
    def put(value):
        if value is None or not value[0]:
            return lambda s: withdraw(s, ref, "recommendation")
        return lambda s: workflow.recommend(s, ref, value[0], value[1])
    return ServiceCommand(f"recommendation {after[0]}", runner, put(after), put(before))

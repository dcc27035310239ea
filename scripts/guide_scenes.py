"""The user guide's scenes: the demo app (synthetic data only) put in the state one picture shows.
Used by scripts/screenshots, which runs each scene on a virtual screen with a window manager and
takes the picture; nothing here writes outside the folder it is given.

    python scripts/guide_scenes.py prepare FOLDER        make FOLDER/demo-vault.db and the reviews the
                                                         pictures need; writes FOLDER/refs.json
    python scripts/guide_scenes.py show FOLDER SCENE     open the app in SCENE (runs until stopped)
    python scripts/guide_scenes.py list                  the scenes, one per line: name, file, what

When the desktop changes, change the scene here (it uses the window's own attributes, so a renamed
widget fails loudly), then re-take the pictures with scripts/screenshots.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

# name → (picture in docs/screenshots/, what it shows)
SCENES = {
    "unlock": ("guide-unlock.png", "the unlock screen (after a lock; the demo shows its credentials)"),
    "queue": ("guide-queue.png", "the triage queue, highest priority first"),
    "queue-filter": ("guide-queue-filter.png", "the queue filtered (Beaconport or CSARP) and searched"),
    "case-details": ("guide-case-details.png", "a case opened: the Details tab"),
    "case-rationale": ("guide-case-rationale.png", "the NFA rationale with victim-blaming words marked"),
    "case-priority": ("guide-case-priority.png", "why the case has its priority, and the eligibility screens"),
    "case-linked": ("guide-case-linked.png", "the cases linked to this one and the basis of each link"),
    "chart": ("guide-chart.png", "the link chart of the case's cluster"),
    "chronology": ("guide-chronology.png", "the chronology of the case and its linked cases"),
    "review-checklist": ("guide-review-checklist.png", "a review in progress: the checklist"),
    "review-inquiries": ("guide-review-inquiries.png", "lines of inquiry: suggested and raised"),
    "review-contact": ("guide-review-contact.png", "the victim contact record and the victim's wishes"),
    "review-recommendation": ("guide-review-recommendation.png", "the recommendation and its rationale"),
    "inbox": ("guide-inbox.png", "a supervisor's inbox: a submitted review, Approve or Return"),
    "pack": ("guide-pack.png", "the referral pack dialog of an approved review"),
    "shortcuts": ("guide-shortcuts.png", "the keyboard shortcuts (F1)"),
    "guide": ("guide-help.png", "this guide inside the app (Help → User guide)"),
    "import": ("guide-import.png", "the import wizard (supervisors and admins)"),
}


# --- preparing the vault -------------------------------------------------------------------------

def prepare(folder: Path, cases: int = 3000) -> dict:
    """A fresh demo vault with a review in progress, one submitted and one approved (with a pack)."""
    from triage_app.demo import vault as demo
    from triage_app.demo.chronology import linked_case
    from triage_app.pack.issue import issue_pack
    from triage_app.review import checklist as checklists
    from triage_app.review import workflow
    from triage_app.triage.queue import queue
    from triage_app.session import open_vault

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo-vault.db"
    if not demo.demo_vault_exists(path):
        demo.ensure_demo_vault(path, cases)
    r = open_vault(path, demo.REVIEWER, demo.CREDENTIALS[demo.REVIEWER])
    sup = open_vault(path, demo.SUPERVISOR, demo.CREDENTIALS[demo.SUPERVISOR])
    try:
        rows = [q for q in queue(r.conn) if q["status"] == "not_started"][:200]
        # A case to read: Beaconport not yet known, CSARP eligible (both screens have something to say).
        read = next((q["ref"] for q in rows if q["eligibility"]["beaconport"] is None
                     and q["eligibility"]["csarp"]), rows[0]["ref"])
        linked = linked_case(r.conn)        # the case whose linked cases have their dates confirmed
        others = [q["ref"] for q in rows if q["ref"] not in (read, linked)]
        in_review, submitted, approved = others[0], others[1], others[2]
        cl = checklists.current()
        mandatory = [it.id for it in cl.items if it.mandatory]

        # In review: some answers (one with a note), a suggested inquiry raised, a contact, a recommendation.
        workflow.start_review(r, in_review)
        for item, answer in (("abe_interview", "no"), ("suspects_identified", "no"), ("suspects_interviewed", "no"),
                             ("open_lines", "yes"), ("victim_blaming", "yes"), ("exhibits_retained", "yes")):
            workflow.answer_item(r, in_review, item, answer,
                                 "The rationale calls her 'not credible' after missing episodes."
                                 if item == "victim_blaming" else None)
        workflow.raise_inquiry(r, in_review, from_item="abe_interview", owner="DS Example")
        workflow.raise_inquiry(r, in_review, title="Re-submit the retained clothing for DNA (current techniques)",
                               category="forensic", priority="high", rationale="Exhibits were retained.")
        workflow.record_contact(r, in_review, contact_date="2026-01-12", method="through an ISVA",
                                outcome="Met with her ISVA; willing to talk to the review team.",
                                wishes="Wants the case looked at again; does not want to be contacted at work.",
                                support=["isva"])
        workflow.recommend(r, in_review, "reopen",
                           "Named suspects were never interviewed, the rationale rests on the victim's 'credibility', "
                           "and retained exhibits can be re-examined. The victim supports a fresh investigation.")

        # Submitted and approved: every mandatory item answered, a recommendation, submitted.
        for ref in (submitted, approved):
            workflow.start_review(r, ref)
            for item in mandatory:
                workflow.answer_item(r, ref, item, "yes" if item in ("victim_blaming", "suspects_alive") else "no")
            workflow.recommend(r, ref, "refer", "Suspects linked to other NFA cases; lines of inquiry were never "
                                                "followed. Refer to the CSE Taskforce.")
            workflow.submit(r, ref)
        workflow.decide(sup, approved, "approve", "Agreed: refer.")
        issue_pack(r, approved, folder / "pack.pdf", recipient="CSE Taskforce", justification="Operation Beaconport referral")
    finally:
        r.close()
        sup.close()
    refs = {"read": read, "linked": linked, "in_review": in_review, "submitted": submitted, "approved": approved}
    (folder / "refs.json").write_text(json.dumps(refs, indent=2))
    return refs


# --- one scene -----------------------------------------------------------------------------------

def _tab(tabs, title: str) -> int:
    """The index of the tab whose title (without its & mnemonic) starts with `title`."""
    for i in range(tabs.count()):
        if tabs.tabText(i).replace("&&", "\0").replace("&", "").replace("\0", "&").startswith(title):
            return i
    raise SystemExit(f"guide_scenes: no tab {title!r} (the desktop changed: update this scene)")


def show(folder: Path, scene: str) -> int:
    """The app in `scene`, on the screen, until it is stopped (scripts/screenshots takes the picture)."""
    from PySide6.QtCore import QTimer
    from triage_app.gui.app import application
    app = application()
    holder = {}
    QTimer.singleShot(0, lambda: holder.setdefault("w", build(folder, scene)))
    return app.exec()


def build(folder: Path, scene: str, *, on_screen: bool = True):
    """The main window put in `scene`; returns it (tests call this offscreen, without an event loop)."""
    from PySide6.QtCore import QSettings

    from triage_app.demo import vault as demo
    from triage_app.gui import extras, settings as S
    from triage_app.gui.app import application, make_window, show as show_window
    from triage_app.session import open_vault

    if scene not in SCENES:
        sys.exit(f"guide_scenes: no scene {scene!r}; see: python scripts/guide_scenes.py list")
    refs = json.loads((folder / "refs.json").read_text())
    path = folder / "demo-vault.db"
    application()
    settings = S.Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    w = make_window(path, settings=settings, demo_credentials=demo.CREDENTIALS)
    supervisor = scene in ("inbox", "import")
    who = demo.SUPERVISOR if supervisor else demo.REVIEWER
    w.holder.adopt(open_vault(path, who, demo.CREDENTIALS[who]))
    show_window(w) if on_screen else w.show()

    def case(ref: str, tab: str | None = None, part: str | None = None):
        w.open_case(ref)
        view = w.tabs.currentWidget()
        if tab in ("review", "chart", "timeline"):
            view.tabs.setCurrentWidget(getattr(view, tab))
        elif tab:
            view.tabs.setCurrentIndex(_tab(view.tabs, tab))
        if part:
            view.review.parts.setCurrentIndex(_tab(view.review.parts, part))
        return view

    def arrange():
        if scene == "unlock":
            w.lock_now()
            w.unlock.user.setText(demo.REVIEWER)
            w.unlock.passphrase.setFocus()
        elif scene == "queue-filter":
            q = w.queue
            q.eligibility.setCurrentIndex(q.eligibility.findData("either"))
            q.search.setText("takeaway")
            q.apply_filter()
        elif scene == "case-details":
            case(refs["read"], "Details")
        elif scene == "case-rationale":
            case(refs["read"], "Rationale")
        elif scene == "case-priority":
            case(refs["read"], "Priority & eligibility")
        elif scene == "case-linked":
            case(refs["linked"], "Linked cases")
        elif scene == "chart":
            case(refs["linked"], "chart")
        elif scene == "chronology":
            case(refs["linked"], "timeline")
        elif scene == "review-checklist":
            view = case(refs["in_review"], "review", "Checklist")
            view.review.tree.setCurrentItem(view.review.items_by_id["victim_blaming"])
            view.review.tree.setFocus()
        elif scene == "review-inquiries":
            case(refs["in_review"], "review", "Lines of inquiry")
        elif scene == "review-contact":
            case(refs["in_review"], "review", "Victim contact")
        elif scene == "review-recommendation":
            case(refs["in_review"], "review", "Recommendation")
        elif scene == "inbox":
            inbox = extras.open_screen(w, "inbox")
            inbox.table.setCurrentCell(0, 0)
            inbox.show_row(0)          # Enter: the review is read (an audited opening)
        elif scene == "pack":
            from triage_app.gui.pack_dialog import PackDialog
            case(refs["approved"], "review")
            w.pack_dialog = PackDialog(w.holder, refs["approved"], w, folder=folder)
            w.pack_dialog.show()
        elif scene == "shortcuts":
            from triage_app.gui.help import HelpDialog
            w.help_dialog = HelpDialog(w)
            w.help_dialog.show()
        elif scene == "guide":
            w.show_guide("guide")
        elif scene == "import":
            from triage_app.gui.import_wizard import ImportWizard
            w.import_wizard = ImportWizard(w.holder, w)
            w.import_wizard.show()
    arrange()
    return w


def main(argv: list[str]) -> int:
    if argv[:1] == ["list"]:
        for name, (file, what) in SCENES.items():
            print(f"{name}\t{file}\t{what}")
        return 0
    if len(argv) == 2 and argv[0] == "prepare":
        print(json.dumps(prepare(Path(argv[1]))))
        return 0
    if len(argv) == 3 and argv[0] == "show":
        return show(Path(argv[1]), argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

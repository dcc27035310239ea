"""The frozen program's entry point: the same `main` as the `triage-app` console script."""
import sys

if __name__ == "__main__":
    # The bundle has no `python -m`: a child process the app starts runs the same program with a first
    # argument that names it (triage_app/children.py).
    if sys.argv[1:2] == ["--material-check"]:
        # the limited child that opens a PDF or image before it is attached (triage_app/material/check.py)
        from triage_app.material.check import main as check
        raise SystemExit(check(sys.argv[2:]))
    if sys.argv[1:2] == ["--import-check"]:
        # the child that checks a large import's files while the app writes them (triage_app/importing/apart.py)
        from triage_app.importing.child import main as import_check
        raise SystemExit(import_check())
    from triage_app.cli.main import main
    raise SystemExit(main())

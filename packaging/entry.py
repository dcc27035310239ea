"""The frozen program's entry point: the same `main` as the `triage-app` console script."""
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["--material-check"]:
        # The bundle has no `python -m`: the limited child that opens a PDF or image before it is
        # attached (triage_app/material/check.py) runs the same program with this first argument.
        from triage_app.material.check import main as check
        raise SystemExit(check(sys.argv[2:]))
    from triage_app.cli.main import main
    raise SystemExit(main())

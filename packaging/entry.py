"""The frozen program's entry point: the same `main` as the `triage-app` console script."""
from triage_app.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())

"""NFA case-review triage: a Qt-free core with a thin desktop face (triage_app.gui)."""
__version__ = "0.1.0"

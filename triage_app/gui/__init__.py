"""The desktop face (PySide6). A thin shell over the same core calls the command line makes."""

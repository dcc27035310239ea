"""Errors a user may see. Each carries one plain sentence and the command line's exit status.

Messages never quote free text or a person's name: at most a file, line, column, rule and a short
value such as a date or a code.
"""


class TriageError(Exception):
    """A failure the user is told about in one sentence; nothing was changed."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Refused(TriageError):
    """The acting user's role, or the state of a review, does not allow this."""


class BadInput(TriageError):
    """Input that breaks a rule (a file, an argument); `problems` may list several."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []


class NotFound(TriageError):
    """A case, user or file that does not exist."""


class AuthFailed(TriageError):
    """Wrong user or passphrase. Deliberately the same sentence for both."""

    exit_code = 3

    def __init__(self, message: str = "The user name or passphrase is not right."):
        super().__init__(message)


class VaultUnavailable(TriageError):
    """The vault is missing, damaged, foreign, locked by a newer version or otherwise unopenable."""

    exit_code = 3

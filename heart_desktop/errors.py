"""The error a headless verb raises for a failure the user can act on. It lives below every
package, so that the verbs of each (the domain's, the store's, the documents', sync's) raise it
without importing ``cli``, which imports them."""

from __future__ import annotations

EXIT_USAGE = 2
EXIT_FAILURE = 1


class CommandError(Exception):
    """A failure the user can act on: printed as one plain message, exit status 1 (or ``code``)."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code

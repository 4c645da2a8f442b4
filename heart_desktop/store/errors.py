"""What can go wrong with the store, as distinct exceptions the UI and CLI can explain.

The four ways a file can refuse to open are separate classes because each needs a different
answer from the officer (retype, pick another file, restore a backup, update the app); none of
them ever leads the store to write to the file.
"""

from __future__ import annotations


class StoreError(Exception):
    """Any failure of the store that the user can be told about in plain words."""


class OpenError(StoreError):
    """The file could not be opened; it has not been changed."""

    title = "Cannot open the store"


class StoreNotFoundError(OpenError):
    title = "No store here"


class WrongPassphraseError(OpenError):
    title = "Wrong passphrase"


class NotADatabaseError(OpenError):
    title = "Not a HEART store"


class DamagedDatabaseError(OpenError):
    title = "The store is damaged"


class NewerSchemaError(OpenError):
    title = "Store from a newer version"


class StoreExistsError(StoreError):
    """Refusing to overwrite an existing store."""


class NotFoundError(StoreError, KeyError):
    """No live row with that id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class FormLockedError(StoreError):
    """A completed or signed form is immutable; edits make a new version."""


class AttachmentError(StoreError):
    """A file that cannot be attached (not an image, unreadable)."""

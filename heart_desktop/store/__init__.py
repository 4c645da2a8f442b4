"""The encrypted local store (SQLCipher via sqlite-utils): open/unlock, migrations, repositories,
change journal, audit log, attachments, full-text search and demo data.

Public API: ``Store.open(path, passphrase, officer=..., create=...)`` and the error classes.
Nothing here imports Qt.
"""

from heart_desktop.store.database import DEMO_PASSPHRASE, Store, Transaction
from heart_desktop.store.errors import (
    AttachmentError,
    DamagedDatabaseError,
    FormLockedError,
    NewerSchemaError,
    NotADatabaseError,
    NotFoundError,
    OpenError,
    StoreError,
    StoreExistsError,
    StoreNotFoundError,
    WrongPassphraseError,
)

__all__ = [
    "DEMO_PASSPHRASE",
    "AttachmentError",
    "DamagedDatabaseError",
    "FormLockedError",
    "NewerSchemaError",
    "NotADatabaseError",
    "NotFoundError",
    "OpenError",
    "Store",
    "StoreError",
    "StoreExistsError",
    "StoreNotFoundError",
    "Transaction",
    "WrongPassphraseError",
]

"""The errors every call to the office raises, apart from the HTTP client so that the window can
recognise a revocation without loading it (``ui/worker.py`` routes one to the window's wipe).

A revoked laptop is wiped in one way whichever call learnt of it (a sync, a subject access request,
the measures, a case's history at the office): the caller closes and destroys the store with
``sync.client.wipe_store`` and says :data:`REVOKED_WIPED`."""

from __future__ import annotations


class SyncError(Exception):
    """Sync did not complete; the message says why in plain words. Nothing local was lost."""


class DeviceRevoked(SyncError):
    """The office revoked this laptop: its store must be locked and wiped."""


REVOKED_TITLE = "This laptop has been revoked"
REVOKED_WIPED = ("The office has revoked this laptop, so the case data on it has been wiped (the store, its "
                 "backups and migration copies). Nothing is lost that had reached the office. Ask IT to enrol "
                 "the laptop again.")

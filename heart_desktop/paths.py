"""Where things live: bundled resources, form definitions and the officer's data directory.

Resolution order follows the usual desktop convention: an explicit flag, then an environment
variable, then the platform default. Bundled files are found relative to the package (a source
checkout or an editable install) or to PyInstaller's unpack directory, never via the CWD.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# platformdirs, shutil and tempfile are imported where they are used: this module is imported
# before the unlock window is drawn, and they are not needed for it

APP_NAME = "heart-desktop"
APP_AUTHOR = "HEART"
DB_ENV = "HEART_DB"
DATA_DIR_ENV = "HEART_DATA_DIR"
RESOURCES_ENV = "HEART_RESOURCES"
TEMP_DIR_ENV = "HEART_TEMP_DIR"
DEMO_PROFILE = "demo"
STORE_SUFFIX = ".heartdb"


def _bundle_root() -> Path:
    """The folder holding ``resources/`` and ``forms/``: the checkout or the frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    override = os.environ.get(RESOURCES_ENV)
    return Path(override) if override else _bundle_root() / "resources"


def forms_dir() -> Path:
    return _bundle_root() / "forms"


def data_dir() -> Path:
    """The per-user data directory (created on demand)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def profile_db_path(profile: str) -> Path:
    """One encrypted store per officer profile."""
    return data_dir() / "profiles" / f"{profile}{STORE_SUFFIX}"


def creation_cut_short(path: Path) -> bool:
    """An empty ``*.heartdb`` file with nothing in a write-ahead log beside it: what a store's
    creation leaves when it is cut short (a kill, a flat battery) after the file appeared and
    before its first page was written. It holds nothing, so creating the store again may use it.
    An empty file of any other name is still refused as not a store: it may be someone else's."""
    wal = path.with_name(f"{path.name}-wal")
    try:
        return (path.suffix == STORE_SUFFIX and path.stat().st_size == 0
                and (not wal.exists() or wal.stat().st_size == 0))
    except FileNotFoundError:
        return False


def store_exists(path: Path) -> bool:
    """Whether there is a store to unlock at ``path`` (else the app offers to create one). Here,
    not in ``store``, so the unlock window can ask before the store's modules are loaded."""
    return path.exists() and not creation_cut_short(path)


def resolve_db_path(flag: str | None, profile: str = DEMO_PROFILE) -> Path:
    """``--db`` wins, then ``HEART_DB``, then the profile's file in the data directory."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return profile_db_path(profile)


def private_temp_dir() -> Path:
    """Where anything that must briefly be a file goes (a library's temporary file, a print
    spool): ``$HEART_TEMP_DIR``, else the per-user runtime directory (``platformdirs``; memory-backed
    and private on Linux), else ``tmp`` under the per-user cache directory."""
    override = os.environ.get(TEMP_DIR_ENV)
    if override:
        return Path(override)
    import warnings

    import platformdirs

    with warnings.catch_warnings():  # no XDG_RUNTIME_DIR: platformdirs falls back to /tmp/runtime-UID, made 0700 here
        warnings.simplefilter("ignore")
        runtime = Path(platformdirs.user_runtime_dir(APP_NAME, APP_AUTHOR))
    try:
        runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "tmp"
    return runtime / "tmp"


def open_private_temp() -> Path:
    """Make the private temporary directory (mode 0700) empty, removing what a crash left there,
    and send this process's temporary files (``tempfile``) and its children's (``TMPDIR``) into it;
    it is removed again at exit. Returns it."""
    import atexit
    import shutil
    import tempfile

    folder = private_temp_dir()
    shutil.rmtree(folder, ignore_errors=True)  # the leftovers of a run that did not end cleanly
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    tempfile.tempdir = str(folder)
    for name in ("TMPDIR", "TEMP", "TMP"):
        os.environ[name] = str(folder)
    atexit.register(remove_private_temp, folder)
    return folder


def remove_private_temp(folder: Path | None = None) -> None:
    """Remove the private temporary directory and everything in it (at exit)."""
    import shutil
    import tempfile

    folder = folder or private_temp_dir()
    shutil.rmtree(folder, ignore_errors=True)
    if tempfile.tempdir == str(folder):
        tempfile.tempdir = None

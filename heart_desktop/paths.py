"""Where things live: bundled resources, form definitions and the officer's data directory.

Resolution order follows the usual desktop convention: an explicit flag, then an environment
variable, then the platform default. Bundled files are found relative to the package (a source
checkout or an editable install) or to PyInstaller's unpack directory, never via the CWD.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "heart-desktop"
APP_AUTHOR = "HEART"
DB_ENV = "HEART_DB"
DATA_DIR_ENV = "HEART_DATA_DIR"
RESOURCES_ENV = "HEART_RESOURCES"
DEMO_PROFILE = "demo"


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
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def profile_db_path(profile: str) -> Path:
    """One encrypted store per officer profile."""
    return data_dir() / "profiles" / f"{profile}.heartdb"


def resolve_db_path(flag: str | None, profile: str = DEMO_PROFILE) -> Path:
    """``--db`` wins, then ``HEART_DB``, then the profile's file in the data directory."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return profile_db_path(profile)

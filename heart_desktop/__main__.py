"""Allow ``python -m heart_desktop``."""

from heart_desktop.cli import main

raise SystemExit(main())

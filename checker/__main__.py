"""``python -m checker`` is the ``jixiao`` command."""

from checker.cli import main

raise SystemExit(main())

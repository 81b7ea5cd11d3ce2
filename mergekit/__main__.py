"""Allow `python -m mergekit`."""

from mergekit.entry import main

raise SystemExit(main())

"""The integration run: start, continue, abort, status (and its dry run)."""

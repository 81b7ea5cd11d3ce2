"""mergekit: integrate many feature branches at once, resolving append-only conflicts structurally."""

__version__ = "0.1.0"

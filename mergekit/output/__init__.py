"""Everything mergekit prints: one module per command's output."""

"""Use cases: one module (or package) per thing a user asks of mergekit; they return values, never print."""

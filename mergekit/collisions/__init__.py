"""Semantic collisions: what two branches each add that merges without a conflict but is wrong together.

- `rules`: the rules, data from `grammars/collisions/rules.toml` (three shapes);
- `finder`: `Finder` finds the collisions between two commits, caching per blob;
- `manifests`: dependency readers for the manifest rules;
- `types`: `Collision` and `Site`, plain values the output package shows.
"""

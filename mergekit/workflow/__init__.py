"""The agent workflow around the merge: patch inputs, the wrong base, test culprits, and the
resolution memory.

Use-case helpers (they talk to the repository through `mergekit.engine`) and their pure halves:

- `patchfile` (pure) and `inputs`: `-` and `*.patch`/`*.diff` arguments made into commits;
- `wrongbase` (pure) and `basecheck`: branches built on the wrong base, and `--rebase-stale`;
- `culprit_search` (pure) and `culprits`: which branches make `--test` fail together;
- `conflict_regions` (pure), `recall` and `memory`: the resolution memory (`rule: "memory"`).
"""

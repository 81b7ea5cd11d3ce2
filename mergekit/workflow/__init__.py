"""The agent workflow around the merge, pure halves — plain values in and out, no git calls.

- `patchfile`: which arguments are patch inputs (`-`, `*.patch`, `*.diff`) and the commits a
  patch file holds (`git format-patch` mails or one bare `git diff`);
- `wrongbase`: branches built on the wrong base (a missing foundation, a stale base), from facts;
- `culprit_search`: which branches make a test fail together (bisection, the smallest failing set);
- `regions`: conflicting regions keyed on their content (what the resolution memory remembers);
- `recall`: what the merge seam asks of the resolution memory (`Recall`, rule `memory`).

Their use-case halves, which read and write the repository, are in `mergekit.app`: `inputs`
(with `patches` and `wrongbase`), `integrate.culprits` and `memory`.
"""

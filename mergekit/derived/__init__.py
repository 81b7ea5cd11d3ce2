"""Derived files: lockfiles and other generated files that mergekit regenerates instead of merging.

A lockfile is a function of its manifests. When both sides of a merge changed the inputs of a
lockfile, no line or structural merge of the two lockfiles is trustworthy (the package manager
may lay the tree out differently for the union of the manifests), so mergekit runs the
project's own tool on the merged tree and takes what it writes.

- `recipes`: the built-in recipes (npm, pnpm, yarn, Cargo, uv, Poetry, Go, Bundler, Django
  migrations) and the cheap path check the merge driver uses. Standard library only.
- `config`: the `[derived]` table of a committed `.mergekit.toml` (turn a recipe off, change
  its command, declare other derived files). Standard library only.
- `jobs`: which derived files a merge step must regenerate, from the paths each side changed.
- `run`: run a job's command in a directory and collect the files it wrote.
- `step`: the integrate hook (in-memory merge → scratch copy of the result → regenerated tree).
- `worktree`: the `resolve` hook (regenerate in the user's own work tree after `git merge`).

This package's `__init__` imports nothing, so the merge driver can import `recipes` cheaply.
"""

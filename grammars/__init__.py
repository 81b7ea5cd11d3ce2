"""Language profiles and collision rules: data, shipped inside the package as `mergekit.grammars`.

The folder sits at the repository root so that contributors find it at once; `setup.py` maps it
into the package. Each `<language>.toml` is one profile (see docs/adding-a-language.md).
"""

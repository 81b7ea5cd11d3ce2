"""Ships the top-level grammars/ folder inside the package as `mergekit.grammars`."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["mergekit", "mergekit.*"]), "mergekit.grammars"],
    package_dir={"mergekit.grammars": "grammars"},
)

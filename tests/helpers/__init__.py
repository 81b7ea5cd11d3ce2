"""Shared test helpers: real repositories, hermetic git, running the CLI in-process."""

"""Semantic collisions between branches: rules (data), the finder, manifest readers."""

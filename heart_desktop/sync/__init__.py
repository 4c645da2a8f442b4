"""Sync with the central office."""

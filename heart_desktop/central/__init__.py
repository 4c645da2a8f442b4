"""The central office server."""

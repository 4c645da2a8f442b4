"""HEART Desktop: the field application of the Home Environment Assessment and Response Team."""

__version__ = "0.1.0"

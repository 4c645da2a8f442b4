"""Declarative form definitions: loading and checking forms/*.yaml."""

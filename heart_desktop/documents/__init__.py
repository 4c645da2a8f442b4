"""Paperwork: the application pack as PDF."""

"""Muster: an organising bot for grassroots political groups."""

__version__ = "0.1.0"

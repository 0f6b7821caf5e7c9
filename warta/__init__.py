"""Warta: an annotated corpus of Indonesian news, and the tools that build it."""

__version__ = "0.1.3"

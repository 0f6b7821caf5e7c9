"""Warta test suite."""

"""Automatic annotators for the three layers of the scheme."""

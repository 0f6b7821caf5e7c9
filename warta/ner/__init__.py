"""A trained entity tagger: tokenizer, features, lexicons, CRF model and its bundle.

Kept apart from :mod:`warta.annotators.entities` (the rule cascade) until it
is wired into the build.
"""

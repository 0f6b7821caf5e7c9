"""A trained entity tagger: tokenizer, features, lexicons, CRF model and its bundle.

Not yet used by the build: under leave-one-outlet-out cross-validation on the
development set it scores below the rule cascade of
:mod:`warta.annotators.entities` (see ``docs/evaluation/ner-cv.md``), and it
tags too slowly for the build. It is the start of the trained tagger that is
to replace the cascade once it measures better.
"""

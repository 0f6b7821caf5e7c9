"""The trained entity tagger: tokenizer, features, CRF model and its bundle.

The word lists its features read are the shared :mod:`warta.lexicons`.

The build's entity annotator (through :mod:`warta.annotate`): a CRF whose
features include the rule cascade's output (:mod:`warta.annotators.entities`),
loaded from the bundle shipped in ``warta/ner/shipped`` and trained only by
``python build.py train`` (:mod:`warta.ner.train`). Leave-one-outlet-out
figures: ``docs/evaluation/ner-cv.md``.
"""

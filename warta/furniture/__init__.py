"""A line model of page furniture that adds to the boilerplate rules (issue #17).

The rules (:mod:`warta.annotators.boilerplate`) are precise but miss furniture
they were not written for; a CRF over an article's lines, reading the rules'
output, a lexicon of general cues and the shape of each line and its
neighbours, adds whole lines the rules left as content where it is confident.
"""

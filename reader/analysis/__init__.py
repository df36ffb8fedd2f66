"""What is computed from articles: sentences and entities (spaCy), entity linking,
date resolution, the timeline, sentence alignment, framing and story grouping.

Results are cached in the store keyed by content hash and analyzer version. Nothing
here imports Textual; spaCy is imported only by ``analysis.nlp`` and only when an
article has no cached analysis.
"""

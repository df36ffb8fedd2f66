"""The hostile corpus: feeds, pages and server behaviours written to break a news reader.

Everything is built in code (``corpus.py``) at test time; the large cases (a feed of
50,000 entries, a 30 MB page, a 1 GiB gzip bomb) are generated on the fly and never
committed or held whole in memory.
"""

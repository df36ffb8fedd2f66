"""RSS/Atom feeds, one stage to a module, in the order a refresh runs them:

- ``subscribe``: subscribing to a list of feed URLs (an OPML import).
- ``refresh``: the pipeline. Every subscribed feed, concurrently: retrieve (a
  conditional GET through ``ingest.http``), parse (``parse``, or ``child``), select
  the items this feed has not stored, fetch their pages (``pages``), store; and the
  deadlines, fairness and cancellation around it.
- ``parse``: feed bytes in, checked ``FeedItem``s out (``parse_feed``), with
  feedparser; ``rss`` reads plain RSS 2.0 the same way at a fraction of the cost;
  ``parsers`` imports feedparser and lxml once, thread-safely.
- ``html_text``: a feed's HTML snippets as plain text.
- ``child``: parsing in a child process beside the downloads.
- ``pages``: the new items' pages, fetched under the feed's deadline.
- ``report``: what a refresh did (``FeedResult``, ``FeedProgress``,
  ``RefreshReport``) and the rate-limit wording, for the CLI and the app to show.

The package imports nothing itself: the parsing child imports ``child`` and what
parsing needs (not the HTTP transport). Decisions and measurements: docs/feeds.md.
"""

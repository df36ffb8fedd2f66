"""Feed tags through OPML: folders and categories in, folders and categories out (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import main
from reader.ingest.opml import export_opml, parse_opml
from reader.models import Feed

FEEDLY_STYLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions in feedly Cloud</title></head>
  <body>
    <outline text="World" title="World">
      <outline type="rss" text="DW" title="DW" xmlUrl="https://rss.dw.com/rdf/rss-en-all"
               htmlUrl="https://www.dw.com"/>
      <outline type="rss" text="BBC" title="BBC"
               xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
    </outline>
    <outline text="Tech" title="Tech">
      <outline text="Linux" title="Linux">
        <outline type="rss" text="LWN" title="LWN.net" xmlUrl="https://lwn.net/headlines/rss"/>
      </outline>
      <outline type="rss" text="BBC" title="BBC"
               xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
    </outline>
    <outline type="rss" text="Loose" xmlUrl="https://loose.example/feed"/>
  </body>
</opml>
"""

CATEGORY_STYLE = b"""<?xml version="1.0"?>
<opml version="2.0"><head/><body>
  <outline text="News" xmlUrl="https://a.example/rss" category="/Europe/Ukraine,politics, war"/>
  <outline text="Two" xmlUrl="https://b.example/rss" category="politics,Politics"/>
  <outline text="Other"><outline text="Inner" xmlUrl="https://c.example/rss"
      category="/Other"/></outline>
</body></opml>
"""


def test_folders_are_tags() -> None:
    parsed = {f.url: f.tags for f in parse_opml(FEEDLY_STYLE)}
    assert parsed == {
        "https://rss.dw.com/rdf/rss-en-all": ("World",),
        "https://feeds.bbci.co.uk/news/world/rss.xml": ("World",),  # first listing wins
        "https://lwn.net/headlines/rss": ("Tech", "Linux"),
        "https://loose.example/feed": (),
    }


@pytest.mark.parametrize(
    ("url", "tags"),
    [
        ("https://a.example/rss", ("Europe/Ukraine", "politics", "war")),
        ("https://b.example/rss", ("politics",)),  # case-insensitive duplicates dropped
        ("https://c.example/rss", ("Other",)),  # folder and category agree
    ],
    ids=["path-keeps-whole-path", "duplicate-case", "folder-equals-category"],
)
def test_category_attribute(url: str, tags: tuple[str, ...]) -> None:
    parsed = {f.url: f.tags for f in parse_opml(CATEGORY_STYLE)}
    assert parsed[url] == tags


@pytest.mark.parametrize(
    "tags",
    [(), ("world",), ("world", "Europe/Ukraine", "a & <b>"), ("x y", "z")],
    ids=["untagged", "one", "several-with-markup", "spaces"],
)
def test_round_trip_keeps_tags(tags: tuple[str, ...]) -> None:
    feeds = [
        Feed(1, "https://a.example/rss", "A", tags=tags),
        Feed(2, "https://b.example/rss", "B", tags=("world",)),
        Feed(3, "https://c.example/rss", "C"),
    ]
    parsed = parse_opml(export_opml(feeds).encode())  # grouped by folder: order may change
    assert sorted((f.url, f.title, f.tags) for f in parsed) == [
        (f.url, f.name, f.tags) for f in feeds
    ]


def test_realistic_file_round_trip_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "feedly.opml"
    src.write_bytes(FEEDLY_STYLE)
    db = str(tmp_path / "db")
    assert main(["feeds", "import", str(src), "--db", db]) == 0
    out_file = tmp_path / "out.opml"
    assert main(["feeds", "export", "-o", str(out_file), "--db", db]) == 0
    capsys.readouterr()
    first = {f.url: f.tags for f in parse_opml(FEEDLY_STYLE)}
    again = {f.url: f.tags for f in parse_opml(out_file.read_bytes())}
    assert again == first
    # and once more through a second library
    db2 = str(tmp_path / "db2")
    assert main(["feeds", "import", str(out_file), "--db", db2]) == 0
    capsys.readouterr()
    assert main(["feeds", "export", "--db", db2]) == 0
    out = capsys.readouterr().out
    assert {f.url: f.tags for f in parse_opml(out.encode())} == first
    assert '<outline text="Tech" title="Tech">' in out
    assert 'category="Tech,Linux"' in out

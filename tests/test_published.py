"""The publication date comes from the article's own metadata, in the publisher's zone."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from reader.ingest.pages import extract_page
from reader.ingest.published import published_date, site_name

sys.path.insert(0, str(Path(__file__).parent / "bench"))
from truth_corpus import corpus_dir

BODY = "<p>" + "The council voted on the plan after a long debate in the town hall. " * 8 + "</p>"


def page(head: str, body: str = BODY) -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        pytest.param(
            '<meta property="article:published_time" content="2019-11-20T01:07:00-05:00">',
            BODY,
            date(2019, 11, 20),
            id="offset-stamp-keeps-its-own-day",
        ),
        pytest.param(
            '<meta itemprop="datePublished" content="2019-11-19T00:04:00.000Z">',
            BODY + "<time class='timestamp'>Nov. 18, 2019 7:04 pm ET</time>",
            date(2019, 11, 18),
            id="utc-stamp-moved-to-the-byline-zone",
        ),
        pytest.param(
            '<meta property="article:published_time" content="2019-11-20T05:57:50Z">'
            '<meta name="date" content="2019-11-19 21:57:00 -0800">',
            BODY,
            date(2019, 11, 19),
            id="utc-stamp-moved-by-the-same-instant-with-offset",
        ),
        pytest.param(
            '<meta property="article:published_time" content="2019-11-19T14:00:00Z">',
            BODY,
            date(2019, 11, 19),
            id="utc-stamp-alone-stays-utc",
        ),
        pytest.param(
            '<script type="application/ld+json">{"@type": "VideoObject", '
            '"uploadDate": "2019-11-11T10:00:00Z", '
            '"datePublished": "2019-11-11T10:00:00Z"}</script>'
            '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
            '"datePublished": "2019-11-18T09:00:00+01:00"}]}</script>',
            BODY,
            date(2019, 11, 18),
            id="only-the-article-object-of-json-ld",
        ),
        pytest.param("", BODY, None, id="no-metadata-no-date"),
        pytest.param(
            '<meta property="article:published_time" content="not a date">',
            BODY,
            None,
            id="garbage-stamp-no-date",
        ),
    ],
)
def test_published_date(head: str, body: str, expected: date | None) -> None:
    assert published_date(page(head, body)) == expected


def test_extract_page_takes_the_metadata_day() -> None:
    html = page(
        '<meta itemprop="datePublished" content="2019-11-19T00:04:00.000Z">',
        BODY + "<time class='timestamp'>Nov. 18, 2019 7:04 pm ET</time>",
    )
    extracted = extract_page(html)
    assert extracted is not None and extracted.published == date(2019, 11, 18)


def test_devcorpus_pages_get_their_publishers_day() -> None:
    """Every page of the development corpus: the day its publisher gives (clusters.json)."""
    folder = corpus_dir()
    if folder is None:
        pytest.skip("the development corpus is missing (set PARALLAX_DEVCORPUS)")
    wrong = []
    for cluster in json.loads((folder / "clusters.json").read_text()):
        for item in cluster["articles"]:
            extracted = extract_page((folder / item["file"]).read_bytes())
            assert extracted is not None
            if str(extracted.published) != str(item["published"]):
                wrong.append((item["file"], extracted.published, item["published"]))
    assert wrong == []


def test_odd_documents_give_no_date_and_no_error() -> None:
    xml_page = '<?xml version="1.0" encoding="utf-8"?>' + page(
        '<meta property="article:published_time" content="2019-11-20T01:07:00-05:00">'
    )
    assert published_date(xml_page) == date(2019, 11, 20)
    assert published_date(b"") is None
    assert published_date("<time datetime='2019-11-19T02:24:00Z'>x</time>") is None


SYNDICATED = (
    '<meta property="og:site_name" content="Times Union">'
    '<script type="application/ld+json">{"@type": "NewsArticle", '
    '"publisher": {"@type": "Organization", "name": "Associated Press"}}</script>'
)


def test_the_site_name_is_the_sites_own_not_the_wires() -> None:
    """A wire story on a newspaper's site is that newspaper's article: one outlet keeps one
    name across its pages, so its articles count as one outlet."""
    extracted = extract_page(page(SYNDICATED))
    assert extracted is not None and extracted.site_name == "Times Union"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<meta property="og:site_name" content=" The Jerusalem Post | JPost.com ">',
            "The Jerusalem Post",
        ),
        ('<meta name="application-name" content="Deccan Herald">', "Deccan Herald"),
        ('<meta property="og:site_name" content="">', None),
        ("", None),
    ],
)
def test_site_name(head: str, expected: str | None) -> None:
    assert site_name(page(head)) == expected


def test_a_hostile_site_name_is_cleaned() -> None:
    head = '<meta property="og:site_name" content="[bold]Daily\x1b]2;pwned\x07 News\u202e">'
    extracted = extract_page(page(head))
    assert extracted is not None and extracted.site_name is not None
    assert "\x1b" not in extracted.site_name and "\u202e" not in extracted.site_name
    assert extracted.site_name.startswith("[bold]Daily")  # text, never markup


def test_devcorpus_pages_are_named_by_their_sites() -> None:
    """Measured on the 35 pages: the JSON-LD publisher named Deccan Herald's page "DH News
    Service" and the Times Union's "Associated Press"."""
    folder = corpus_dir()
    if folder is None:
        pytest.skip("the development corpus is missing (set PARALLAX_DEVCORPUS)")
    names = {}
    for name in ("thirdhearing-deccanherald", "pgeshutoff-timesunion", "stabbings-jpost"):
        extracted = extract_page((folder / "pages" / f"{name}.html").read_bytes())
        assert extracted is not None
        names[name] = extracted.site_name
    assert names == {
        "thirdhearing-deccanherald": "Deccan Herald",
        "pgeshutoff-timesunion": "Times Union",
        "stabbings-jpost": "The Jerusalem Post",
    }

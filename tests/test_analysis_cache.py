"""The analysis cache: the compact payload, bad payloads, and analysis in child processes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from reader.analysis import cache, nlp
from reader.models import ArticleAnalysis, Mention, Sentence
from reader.store import Store


def test_payload_round_trip_on_every_seed(analysed_store: Store) -> None:
    articles = analysed_store.all_articles()
    analyses = cache.cached_analyses(analysed_store, articles)
    assert len(analyses) == len(articles) == 5
    for article in articles:
        analysis = analyses[article.id]
        again = nlp.loads(article.id, nlp.dumps(analysis), article.text)
        assert again == analysis
        # Mention texts are not stored: they come back as slices of the article.
        assert all(article.text[m.start : m.end] == m.text for m in again.mentions)
        assert any(m.label == "PERSON" for m in again.mentions)


def test_payload_is_compact(analysed_store: Store) -> None:
    """Issue 10's database budget: the cached analysis is a small fraction of the text."""
    articles = analysed_store.all_articles()
    analyses = cache.cached_analyses(analysed_store, articles)
    import zlib

    payload = sum(len(zlib.compress(nlp.dumps(analyses[a.id]))) for a in articles)
    text = sum(len(a.text.encode()) for a in articles)
    assert payload < 0.15 * text


def test_unknown_labels_survive() -> None:
    text = "Alpha met Beta in Gamma."
    analysis = ArticleAnalysis(
        (Sentence(0, 0, len(text), 0),),
        (Mention("a", 0, 5, "Alpha", "PERSON", 0), Mention("a", 18, 23, "Gamma", "NEW_LABEL", 0)),
    )
    assert nlp.loads("a", nlp.dumps(analysis), text) == analysis


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"\x01",
        b'{"s": []}',
        bytes([2, 0, 5, 1]),
        bytes([2, 0, 1, 0, 250, 3, 0, 0]),
        b"\x02\xff",
    ],
)
def test_bad_payload_is_refused(payload: bytes) -> None:
    with pytest.raises(nlp.BadPayload):
        nlp.loads("a", payload, "short text")


def test_a_corrupt_cached_analysis_is_computed_again(analysed_db: Path) -> None:
    store = Store(analysed_db)
    articles = store.all_articles()
    victim = articles[0]
    store.put_analyses(nlp.ANALYSER, nlp.analyser_version(), [(victim.content_hash, b"junk")])
    assert victim.id not in cache.cached_analyses(store, articles)
    analyses = cache.ensure_analyses(store, articles)
    assert analyses[victim.id].sentences
    assert victim.id in cache.cached_analyses(store, articles)  # and stored again


def test_child_process_analysis_equals_in_process(store: Store) -> None:
    """What the app does (spaCy in a spawned child) gives the same analyses."""
    articles = store.all_articles()[:2]
    seen: list[tuple[int, int]] = []
    in_child = cache.ensure_analyses(
        store, articles, processes=1, progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (2, 2)
    direct = nlp.analyse_texts([(a.id, a.text) for a in articles])
    assert in_child == direct


def test_cancelled_child_analysis_stores_nothing_more(store: Store) -> None:
    articles = store.all_articles()
    out = cache.ensure_analyses(store, articles, processes=1, cancelled=lambda: True)
    assert out == {}
    assert cache.cached_analyses(store, articles) == {}


class SlowAnalysis(list[str]):
    """The article ids analysed, in order; ``started`` is set when the first chunk begins."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()


@pytest.fixture
def slow_analysis(monkeypatch: pytest.MonkeyPatch) -> SlowAnalysis:
    """spaCy in this process, 0.4 s per chunk."""
    real = nlp.analyse_payloads
    calls = SlowAnalysis()

    def slow(texts: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
        calls.extend(aid for aid, _ in texts)
        calls.started.set()
        time.sleep(0.4)  # a chunk that takes a while: the other caller arrives meanwhile
        return real(texts)

    monkeypatch.setattr(nlp, "analyse_payloads", slow)
    return calls


def test_concurrent_callers_analyse_each_article_once(
    store: Store, slow_analysis: SlowAnalysis
) -> None:
    """The compare screen opening while the background analysis works on the same
    articles waits for it instead of analysing them a second time."""

    articles = store.all_articles()
    results: dict[str, dict] = {}
    background = threading.Thread(
        target=lambda: results.__setitem__("bg", cache.ensure_analyses(store, articles))
    )
    background.start()
    assert slow_analysis.started.wait(30)  # the background's first chunk (all five) is on its way
    results["screen"] = cache.ensure_analyses(store, articles[:2])
    background.join()
    assert sorted(slow_analysis) == sorted(a.id for a in articles)  # each analysed once
    assert set(results["screen"]) == {a.id for a in articles[:2]}
    assert results["screen"] == {a.id: results["bg"][a.id] for a in articles[:2]}


def test_a_screen_does_not_wait_for_the_whole_backlog(
    store: Store, slow_analysis: SlowAnalysis
) -> None:
    """Articles are claimed chunk by chunk: a screen asking for an article far down a
    background backlog analyses it between the background's chunks, once."""

    articles = store.all_articles()
    background = threading.Thread(target=cache.ensure_analyses, args=(store, articles, None, 1))
    background.start()
    assert slow_analysis.started.wait(30)  # the background has taken its first chunk
    wanted = articles[-1]
    got = cache.ensure_analyses(store, [wanted])
    background.join()
    assert wanted.id in got
    assert slow_analysis.index(wanted.id) == 1  # right after the background's first chunk
    assert sorted(slow_analysis) == sorted(a.id for a in articles)  # each analysed once


def test_the_pipeline_leaves_out_the_shared_tok2vec_and_gives_the_same_analysis(
    store: Store,
) -> None:
    """tok2vec feeds only the tagger and parser we exclude: dropping it changes nothing."""
    import spacy

    model = nlp.load_model()
    assert model.pipe_names == ["senter", "ner"]
    assert not nlp._listens_to_tok2vec(model)
    full = spacy.load(nlp.model_info()[0], exclude=nlp._EXCLUDE)
    full.enable_pipe("senter")
    assert "tok2vec" in full.pipe_names
    paragraphs = [p for a in store.all_articles() for p in a.text.split("\n") if p.strip()]

    def spans(pipeline):  # type: ignore[no-untyped-def]
        return [
            ([(e.start_char, e.end_char, e.label_) for e in doc.ents], [s.text for s in doc.sents])
            for doc in pipeline.pipe(paragraphs)
        ]

    assert spans(model) == spans(full)

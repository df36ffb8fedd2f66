"""The one protocol of both child processes (reader.children): frames of marshal data."""

from __future__ import annotations

import io

import pytest

from reader.children import FRAME_MAGIC, read_frame, write_frame


def test_frames_round_trip_what_the_children_send() -> None:
    chunk = [("a1", "Blinken said on Saturday."), ("a2", "Kyiv [Putin] \x1b[2J")]
    answer = [("a1", b"\x00payload"), ("a2", b"")]
    out = io.BytesIO()
    write_frame(out, chunk)
    write_frame(out, answer)
    write_frame(out, "one line of error")
    source = io.BytesIO(out.getvalue())
    assert read_frame(source) == chunk
    assert read_frame(source) == answer
    assert read_frame(source) == "one line of error"
    with pytest.raises(EOFError):
        read_frame(source)


@pytest.mark.parametrize(
    "data",
    [
        b"\x80\x04\x95pickle, not a frame",  # a pickle is never read
        FRAME_MAGIC + (1 << 40).to_bytes(8, "little"),  # a garbled length allocates nothing
    ],
    ids=["pickle", "huge-length"],
)
def test_anything_but_a_frame_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError):
        read_frame(io.BytesIO(data))


def test_a_cut_frame_is_the_end_of_input() -> None:
    out = io.BytesIO()
    write_frame(out, ["a", "b"])
    with pytest.raises(EOFError):
        read_frame(io.BytesIO(out.getvalue()[:-1]))


def test_the_analysis_child_answers_a_chunk_in_frames() -> None:
    """A real child: spaCy in another process, the chunk and the payloads as frames."""
    from reader.analysis.nlp import _Child, loads

    text = "Antony Blinken spoke in Kyiv on Monday."
    child = _Child()
    try:
        [(aid, payload)] = child.analyse([("s1", text)])
    finally:
        child.close()
    assert aid == "s1"
    analysis = loads(aid, payload, text)
    assert [m.text for m in analysis.mentions if m.label in ("PERSON", "GPE")] == [
        "Antony Blinken",
        "Kyiv",
    ]

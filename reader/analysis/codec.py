"""One JSON codec for the analysis's frozen dataclasses (what the story cache stores).

Owns: turning a value built of frozen dataclasses, tuples, frozensets, dicts, dates,
``Literal`` strings and numbers into JSON-ready data (``encode``) and back into the
same types (``decode``), guided by the dataclasses' own type hints. A field added to
a dataclass needs no change here: fields travel by name, and a field missing from
stored data takes its default (or the row is refused, see ``DecodeError``).

Must not: use pickle (a database may come from elsewhere: decoding builds only the
types the hints name, never code), import Textual or spaCy, or know any one
dataclass.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any


class DecodeError(ValueError):
    """Stored data does not fit the type asked for (an older shape, or damage)."""


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses become objects of their init fields;
    tuples, lists and (frozen)sets become lists; a dict with non-string keys becomes a
    list of ``[key, value]`` pairs; dates become ISO strings; numpy scalars plain numbers."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return float(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in _fields(type(value))}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        if all(isinstance(k, str) for k in value):
            return {k: encode(v) for k, v in value.items()}
        return [[encode(k), encode(v)] for k, v in value.items()]
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((encode(v) for v in value), key=repr)
    if hasattr(value, "item"):  # numpy scalar
        return encode(value.item())
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode(hint: Any, data: Any) -> Any:
    """``data`` (from ``encode``) rebuilt as ``hint`` (a dataclass or a typing hint)."""
    try:
        return _decode(hint, data)
    except DecodeError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise DecodeError(str(exc)) from None


def dumps(value: Any) -> str:
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(hint: Any, text: str | bytes) -> Any:
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DecodeError(str(exc)) from None
    return decode(hint, data)


@cache
def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(hint: Any, data: Any) -> Any:
    if hint is Any:
        return data
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        last: Exception | None = None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _decode(arg, data)
            except (DecodeError, TypeError, ValueError, KeyError) as exc:
                last = exc
        raise DecodeError(f"no type of {hint} fits: {last}")
    if origin is typing.Literal:
        if data not in args:
            raise DecodeError(f"{data!r} is not one of {args}")
        return data
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(data, dict):
            raise DecodeError(f"{hint.__name__}: expected an object")
        hints = _hints(hint)
        kwargs = {}
        for f in _fields(hint):
            if f.name in data:
                kwargs[f.name] = _decode(hints[f.name], data[f.name])
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise DecodeError(f"{hint.__name__}.{f.name} missing")
        return hint(**kwargs)
    if origin is tuple:
        if not isinstance(data, list):
            raise DecodeError(f"expected a list for {hint}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in data)
        if len(args) != len(data):
            raise DecodeError(f"expected {len(args)} items for {hint}")
        return tuple(_decode(a, v) for a, v in zip(args, data, strict=True))
    if origin in (list, set, frozenset):
        if not isinstance(data, list):
            raise DecodeError(f"expected a list for {hint}")
        items = [_decode(args[0] if args else Any, v) for v in data]
        return origin(items)
    if origin in (dict, Mapping) or hint in (dict, Mapping):
        key_hint, value_hint = args if args else (Any, Any)
        if isinstance(data, dict):
            pairs = list(data.items())
        elif isinstance(data, list):
            pairs = [tuple(p) for p in data]
            if any(len(p) != 2 for p in pairs):
                raise DecodeError("expected [key, value] pairs")
        else:
            raise DecodeError(f"expected an object for {hint}")
        return {_decode(key_hint, k): _decode(value_hint, v) for k, v in pairs}
    if hint is date:
        if not isinstance(data, str):
            raise DecodeError("expected an ISO date")
        return date.fromisoformat(data)
    if hint is float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise DecodeError("expected a number")
        return float(data)
    if hint in (str, int, bool):
        if type(data) is not hint:
            raise DecodeError(f"expected {hint.__name__}, got {type(data).__name__}")
        return data
    if hint is type(None):
        if data is not None:
            raise DecodeError("expected null")
        return None
    raise DecodeError(f"cannot decode {hint}")

"""Results of pure builders kept per server process, keyed by what they are built from.

A figure builder is a pure function (frame and titles in, plotly figure out), and building a
plotly figure is most of a warm page view's CPU (validating every property of every trace and
annotation: ≈ 0.25 s of the overview's 0.4 s); so is a derived frame computed row by row in
Python (the 13710 clock of every problem). Every user who opens the same month with the same
filters gets the same frames, so the same result: `@memo` builds it once and hands the same
object to every later view. The result is shared: callers treat it as read-only
(`ui.export.stamp_figure` works on a copy, `st.plotly_chart` serialises a copy, polars frames
are not changed in place).

Arguments are told apart by value: a polars frame by its columns, types and a hash of its rows,
a frozen dataclass (settings) by its fields, other values as they compare. A call with an argument of another kind is built, not kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import threading
from collections import OrderedDict

import polars as pl

MAX_RESULTS = 256  # a few hundred figures or frames of a few hundred kB at most

_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


class _Unkeyable(Exception):
    pass


def fingerprint(value):
    """A hashable value that is equal for equal inputs."""
    if value is None or isinstance(value, (str, int, float, bool, dt.date)):
        return (type(value).__name__, value)  # True and 1 are equal, not the same argument
    if isinstance(value, pl.DataFrame):
        try:
            rows = value.hash_rows(seed=0).to_numpy().tobytes()
        except Exception as e:  # noqa: BLE001 - a column type polars cannot hash
            raise _Unkeyable from e
        return ("frame", tuple(value.columns), tuple(map(str, value.dtypes)), value.height,
                hashlib.blake2b(rows, digest_size=16).digest())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(fingerprint(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, fingerprint(v)) for k, v in value.items()))
    if dataclasses.is_dataclass(value) and type(value).__dataclass_params__.frozen:
        try:  # a settings object: equal and hashed by its fields
            hash(value)
        except TypeError as e:
            raise _Unkeyable from e
        return (type(value).__qualname__, value)
    raise _Unkeyable


def memo(builder):
    """Keep `builder`'s results per process (least recently used dropped past MAX_RESULTS)."""

    @functools.wraps(builder)
    def cached(*args, **kwargs):
        try:
            key = (builder.__module__, builder.__qualname__, fingerprint(args), fingerprint(kwargs))
        except _Unkeyable:
            return builder(*args, **kwargs)
        with _lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key]
        result = builder(*args, **kwargs)
        with _lock:
            _cache[key] = result
            while len(_cache) > MAX_RESULTS:
                _cache.popitem(last=False)
        return result

    cached.uncached = builder
    return cached


def clear() -> None:
    with _lock:
        _cache.clear()

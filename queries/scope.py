"""Whose projects a query may see: the one place row scope is decided.

A user's scope is everything (leaders and the centre), one unit's projects (a county,
district or development zone: the projects whose `unit_code` is the unit's), one sender's
projects (a city department such as 市住房和城乡建设局 answers for the projects it reports),
or nothing (nobody signed in). The runner (queries/__init__.py) applies it to every query
file marked `-- scope: project`; files marked `-- scope: public` return only aggregates per
unit or for the city (league tables, the overview) and run unscoped.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.divisions import UNIT_NAME, normalise_county, normalise_zone

KINDS = ("all", "unit", "sender", "none")


@dataclass(frozen=True)
class Scope:
    kind: str  # all | unit | sender | none
    value: str | None = None  # the unit's code, or the sender's name

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown scope kind {self.kind!r}")
        if (self.kind in ("unit", "sender")) != bool(self.value):
            raise ValueError(f"scope {self.kind!r} needs a value exactly when it names a unit or sender")

    @property
    def key(self) -> str:
        """A short text naming the scope: part of every cache key."""
        return self.kind if self.value is None else f"{self.kind}:{self.value}"

    @property
    def sees_everything(self) -> bool:
        return self.kind == "all"

    @property
    def unit_code(self) -> str | None:
        """The county/zone code a unit scope is bound to (None for a department or everything)."""
        return self.value if self.kind == "unit" else None

    def label(self) -> str:
        if self.kind == "unit":
            return UNIT_NAME.get(self.value, self.value)
        if self.kind == "sender":
            return self.value
        return "全市" if self.kind == "all" else "无"


EVERYTHING = Scope("all")
NOTHING = Scope("none")


def for_unit(name: str) -> Scope:
    """The scope of a unit account: a county/zone/市本级 by its code, any other name is a sender
    (a city department), matched as written in its files."""
    name = (name or "").strip()
    if not name:
        return NOTHING
    if name in UNIT_NAME:  # given as a code
        return Scope("unit", name)
    by_name = {v: k for k, v in UNIT_NAME.items()}
    code = by_name.get(name) or normalise_zone(name) or normalise_county(name)
    return Scope("unit", code) if code else Scope("sender", name)

"""Reading what a user typed for a fixed set of values: case-insensitive, codes with or without the hyphen,
and a "did you mean" when nothing matches. One place, so the CLI, the config file and the packs agree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from checker.errors import ConfigError
from checker.lazyre import lazy

_CODE = lazy(r"([A-Za-z]+)-?(\d+)")


def canonical_code(text: str) -> str:
    """``SAT-002``, ``sat002`` and ``SAT002`` are one rule code; anything else is returned stripped, as typed."""
    typed = text.strip()
    found = _CODE.fullmatch(typed)
    return f"{found.group(1).upper()}{found.group(2)}" if found else typed


def split_list(values: Iterable[str]) -> tuple[str, ...]:
    """``--select SAT002,QUAL --select TIME`` and ``select = ["SAT002, QUAL"]`` both name three selectors."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def nearest(typed: str, known: Sequence[str], n: int = 1) -> list[str]:
    import difflib

    lowered = {k.lower(): k for k in known}
    return [lowered[m] for m in difflib.get_close_matches(typed.strip().lower(), list(lowered), n=n, cutoff=0.5)]


def did_you_mean(typed: str, known: Sequence[str], n: int = 1) -> str:
    """ "; did you mean 'x'?" (empty when nothing is close): appended to a one-line refusal."""
    near = nearest(typed, known, n)
    return f"; did you mean {' or '.join(repr(m) for m in near)}?" if near else ""


def one_of(value: str, known: Sequence[str], where: str, what: str) -> str:
    """``value`` as spelt in ``known`` (case-insensitive), or a ConfigError listing them and the nearest."""
    typed = value.strip()
    for item in known:
        if item.lower() == typed.lower():
            return item
    listed = ", ".join(known)
    raise ConfigError(where, "", f"unknown {what} {value!r} (known: {listed}){did_you_mean(typed, known)}")

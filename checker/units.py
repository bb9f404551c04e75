"""Units: our pint definitions (units.txt) and the cached table the hot path uses.

pint is the source of truth: ``build_table()`` asks a registry built only from ``units.txt`` for each
unit's base factor and dimension, and the result ships as ``unit_table.json``. Parsing thousands of
values then costs a dict lookup per distinct unit instead of a pint import (~150 ms) and a
``Quantity(str)`` per value (~100 µs). If ``units.txt`` changes and the table was not regenerated,
``load_table()`` notices the hash mismatch and rebuilds it with pint in memory, so results stay right.
"""

from __future__ import annotations

import hashlib
import json
import sys
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from checker.frozen import frozen

HERE = Path(__file__).parent
DEFINITIONS = HERE / "units.txt"
TABLE = HERE / "unit_table.json"

# Spellings folded to one display form; everything else keeps the spelling as written.
DISPLAY = {
    "平米": "平方米",
    "m2": "平方米",
    "km2": "平方公里",
    "m3": "立方米",
    "公斤": "千克",
    "kg": "千克",
    "千米": "公里",
    "km": "公里",
    "千瓦时": "度",
    "kWh": "度",
    "kwh": "度",
    "L": "升",
    "g": "克",
    "t": "吨",
    "m": "米",
    "cm": "厘米",
}
MULTIPLIERS = frozenset({"百", "千", "万", "亿"})
BASE_NAMES = {
    "currency": "元",
    "person": "人",
    "person_visit": "人次",
    "household": "户",
    "item": "个",
    "occurrence": "次",
    "score": "分",
    "time": "天",
    "length": "米",
    "mass": "千克",
    "energy": "度",
}


@frozen
class Atom:
    """One unit word from units.txt: its factor to base units and its dimension exponents."""

    factor: Decimal
    dims: tuple[tuple[str, int], ...]


@frozen
class UnitInfo:
    """A resolved unit expression such as ``元/人·天``."""

    text: str
    factor: Decimal
    dims: tuple[tuple[str, int], ...]

    @property
    def dimension(self) -> str:
        return format_dimension(dict(self.dims))

    @property
    def base_unit(self) -> str:
        return format_base_unit(dict(self.dims))


def definitions_hash() -> str:
    return hashlib.sha256(DEFINITIONS.read_bytes()).hexdigest()


@cache
def definition_aliases() -> dict[str, str]:
    """alias → pint unit name, read from units.txt (every name and alias is a unit word)."""
    out: dict[str, str] = {}
    for raw_line in DEFINITIONS.read_text(encoding="utf-8").splitlines():
        line = raw_line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split(" = ")]
        name = parts[0]
        out[name] = name
        for alias in parts[2:]:
            out[alias] = name
    return out


def build_table() -> dict[str, Any]:
    """Ask pint (our definitions only) for every unit word's base factor and dimensions."""
    import pint  # lazy: only when the table is (re)built

    ureg: Any = pint.UnitRegistry(str(DEFINITIONS), non_int_type=Decimal)
    atoms: dict[str, dict[str, Any]] = {}
    for alias, name in sorted(definition_aliases().items()):
        unit = ureg.parse_units(name)
        base = ureg.Quantity(Decimal(1), unit).to_base_units()
        atoms[alias] = {
            "factor": str(Decimal(base.magnitude).normalize()),
            "dims": {k.strip("[]"): int(v) for k, v in sorted(unit.dimensionality.items())},
        }
    return {"source_sha256": definitions_hash(), "atoms": atoms}


@cache
def load_table() -> dict[str, Atom]:
    """The unit table, rebuilt with pint if units.txt no longer matches the shipped table."""
    data: dict[str, Any] | None = None
    try:
        data = json.loads(TABLE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if data is None or data.get("source_sha256") != definitions_hash():
        data = build_table()
    return {
        alias: Atom(Decimal(entry["factor"]), tuple(sorted(entry["dims"].items())))
        for alias, entry in data["atoms"].items()
    }


@cache
def _atoms_by_length() -> tuple[str, ...]:
    return tuple(sorted(load_table(), key=len, reverse=True))


def _tokenize(piece: str) -> list[str] | None:
    """Split a unit piece such as ``万平方米`` or ``人天`` into unit words, longest match first."""
    table = load_table()
    words = _atoms_by_length()
    out: list[str] = []
    i = 0
    while i < len(piece):
        for word in words:
            if piece.startswith(word, i):
                out.append(word)
                i += len(word)
                break
        else:
            return None
    return out if out and all(w in table for w in out) else None


def _display_piece(tokens: list[str]) -> str:
    text = ""
    for i, tok in enumerate(tokens):
        if i and tokens[i - 1] not in MULTIPLIERS:
            text += "·"
        text += DISPLAY.get(tok, tok)
    return text


def split_unit(text: str) -> tuple[list[str], list[str]]:
    """``元/人、天`` → (['元'], ['人·天']): all that follows the first ``/`` divides, as 元/人、年 means."""
    text = text.replace("、", "·").replace("*", "·").replace("×", "·").replace(" ", "")
    numerator, *rest = text.split("/")
    denominators = [p for part in rest for p in part.split("·") if p]
    return [p for p in numerator.split("·") if p], denominators


@lru_cache(maxsize=4096)
def resolve(text: str) -> UnitInfo | None:
    """Resolve a unit expression; None when any word in it is not a unit we define."""
    table = load_table()
    num, den = split_unit(text)
    if not num or ("/" in text and not den):
        # "/株" with the 元 left out is a missing unit (VAL-005), not 1/株; "元/" is cut off.
        return None
    factor = Decimal(1)
    dims: dict[str, int] = {}
    shown: list[str] = []
    for sign, pieces in ((1, num), (-1, den)):
        for i, piece in enumerate(pieces):
            tokens = _tokenize(piece)
            if tokens is None:
                return None
            for tok in tokens:
                atom = table[tok]
                factor = factor * atom.factor if sign > 0 else factor / atom.factor
                for dim, exp in atom.dims:
                    dims[dim] = dims.get(dim, 0) + sign * exp
            shown.append(("/" if sign < 0 and i == 0 else "·" if shown else "") + _display_piece(tokens))
    display = "".join(shown)
    return UnitInfo(display, factor.normalize(), tuple(sorted((k, v) for k, v in dims.items() if v)))


def format_dimension(dims: dict[str, int]) -> str:
    """pint's spelling of a dimensionality: ``[currency] / [length] ** 2``."""
    pos = [(k, v) for k, v in sorted(dims.items()) if v > 0]
    neg = [(k, -v) for k, v in sorted(dims.items()) if v < 0]
    if not pos and not neg:
        return "dimensionless"

    def term(name: str, exp: int) -> str:
        return f"[{name}]" + (f" ** {exp}" if exp != 1 else "")

    head = " * ".join(term(k, v) for k, v in pos) or "1"
    return head + "".join(f" / {term(k, v)}" for k, v in neg)


def _base_word(name: str, exp: int) -> str:
    if name == "length" and exp in (2, 3):
        return "平方米" if exp == 2 else "立方米"
    word = BASE_NAMES.get(name, name)
    return word if exp == 1 else f"{word}^{exp}"


def format_base_unit(dims: dict[str, int]) -> str:
    """The base unit a magnitude is expressed in, e.g. ``元/平方米`` or ``人·天``."""
    pos = "·".join(_base_word(k, v) for k, v in sorted(dims.items()) if v > 0)
    neg = "·".join(_base_word(k, -v) for k, v in sorted(dims.items()) if v < 0)
    if not pos and not neg:
        return "1"
    return (pos or "1") + (f"/{neg}" if neg else "")


def quantity(number: Decimal, unit_text: str) -> Any:
    """A pint Quantity for API users who want one (imports pint; not used on the hot path)."""
    ureg = _registry()
    num, den = split_unit(unit_text)

    def product(pieces: list[str]) -> str:
        words = [w for piece in pieces for w in (_tokenize(piece) or [piece])]
        return "*".join(definition_aliases().get(w, w) for w in words)

    expr = product(num) or "1"
    if den:
        expr += "/(" + product(den) + ")"
    return ureg.Quantity(number, ureg.parse_units(expr))


@cache
def _registry() -> Any:
    import pint

    return pint.UnitRegistry(str(DEFINITIONS), non_int_type=Decimal)


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        TABLE.write_text(json.dumps(build_table(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {TABLE}")
        return 0
    print("usage: python -m checker.units --write", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

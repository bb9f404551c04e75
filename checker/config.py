"""Run configuration (frozen). File loading and layering come with the CI/linting work; this is the shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Config:
    """What to check and how.

    ``pack`` is a pack id (``auto`` picks fw2015 or fw2021 per sheet by what the sheet uses);
    ``framework`` forces an indicator tree (``auto`` detects it); ``packs`` are extra pack files laid
    over the chosen pack; ``select``/``ignore`` take codes, names, prefixes or catalogue refs;
    ``options`` and ``severity`` override per rule code.
    """

    pack: str = "auto"
    framework: str = "auto"
    packs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    lang: str = "zh"

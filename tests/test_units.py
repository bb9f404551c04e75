"""Units: the shipped table is what pint computes from units.txt, and composites agree with pint."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from checker import units


def test_shipped_table_is_current() -> None:
    shipped = json.loads(units.TABLE.read_text(encoding="utf-8"))
    assert shipped == units.build_table(), "run: python -m checker.units --write"


def test_registry_is_ours_only() -> None:
    ureg = units._registry()
    # pint's default registry knows 'furlong'; ours must not.
    assert "furlong" not in ureg
    assert "元" in ureg


COMPOSITES = [
    "元/度", "元/人、天", "人、天", "万平方米", "%", "个工作日", "个月", "元/平方米", "亩", "元/箱", "人次",
    "元/人/年", "万元", "亿元", "元/吨", "公里", "千克", "度", "立方米", "元/人·年", "次/年", "人次/月",
]  # fmt: skip


@pytest.mark.parametrize("text", COMPOSITES)
def test_composite_matches_pint(text: str) -> None:
    info = units.resolve(text)
    assert info is not None
    q = units.quantity(Decimal(1), text)
    base = q.to_base_units()
    assert Decimal(base.magnitude).quantize(Decimal("1e-12")) == info.factor.quantize(Decimal("1e-12"))
    assert {k.strip("[]"): int(v) for k, v in q.dimensionality.items()} == dict(info.dims)


@pytest.mark.parametrize("text", ["头牛", "/株", "xyz", "", "元/", "%%x"])
def test_unknown_units(text: str) -> None:
    assert units.resolve(text) is None


def test_counts_do_not_mix() -> None:
    person, item, money = units.resolve("人"), units.resolve("个"), units.resolve("元")
    assert person and item and money
    assert len({person.dims, item.dims, money.dims}) == 3


def test_stale_table_is_rebuilt(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stale = tmp_path / "unit_table.json"
    stale.write_text(json.dumps({"source_sha256": "old", "atoms": {"元": {"factor": "2", "dims": {}}}}))
    monkeypatch.setattr(units, "TABLE", stale)
    units.load_table.cache_clear()
    try:
        assert units.load_table()["元"].factor == Decimal(1)
    finally:
        units.load_table.cache_clear()

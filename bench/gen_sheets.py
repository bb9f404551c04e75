"""Generate goal sheets as text extracts (the seed's layout) for benchmarks: varied names, values, units.

python bench/gen_sheets.py N OUT.txt [--seed S]     # N sheets in one document
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

ROWS = [
    ("产出指标", "数量指标", ["培训人次", "维修次数", "购置设备数量", "供暖面积", "服务人数"],
     ["≥{n}人次", "≥{n}次", "≥{n}台", "{n}.5 平方米", "≥{n}人", "{n}人"]),
    ("", "质量指标", ["验收合格率", "出勤率", "按期答复率", "水电暖保障度"], ["≥9{d}%", "100%", "保障", "≥{d}0%"]),
    ("", "时效指标", ["完成及时率", "供暖时间", "办结时限", "传递及时性"], ["100%", "≥5 个月", "≤{d}个工作日", "及时", "12月31日前完成"]),
    ("", "成本指标", ["单位供暖成本", "人均培训成本", "维修总成本", "复印纸单价"],
     ["≤37.5 元/平方米", "≤{n}元/人", "≤{n}000 元", "≤220元/箱", "≤0.53 元/度"]),
    ("效益指标", "社会效益指标", ["办公环境改善情况", "群众信任度", "受益人数"], ["改善", "提高", "≥{n}人", "好/较好/一般/较差/差"]),
    ("", "可持续影响指标", ["长效机制", "矛盾化解水平"], ["提升", "长远"]),
    ("满意度指标", "服务对象满意度指标", ["群众满意度", "干部职工满意度", "学员满意度"], ["≥9{d}%", "≥8{d}%", "100%"]),
]  # fmt: skip


def sheet(i: int, rng: random.Random) -> str:
    total = rng.randrange(10, 500) * 1000
    lines = [
        f"（{i}）项目{i}",
        f"项目名称\t示例项目{i}",
        "项目属性\t经常性项目（长期开展）",
        f"项目资金（元）\t年度资金总额：\t{total:,}",
        "\t其中：中央财政资金\t0",
        f"\t省级财政资金\t{total:,}",
        "\t市县（区）财政资金\t0",
        "项目概况\t示例概况。",
        "保证项目实施的制度、措施\t按制度实施。",
        "项目实施计划\t按计划推进。",
        "年度目标",
        f"总体目标\t目标 1：完成培训{rng.randrange(100, 900)}人次。目标 2：保障设备维修。目标 3：提升群众满意度。",
        "绩效指标\t一级指标\t二级指标\t三级指标\t指标值",
    ]
    for level1, level2, names, values in ROWS:
        for k in range(rng.randrange(1, 4)):
            value = rng.choice(values).format(n=rng.randrange(1, 999), d=rng.randrange(0, 9))
            first = level1 if k == 0 else ""
            second = level2 if k == 0 else ""
            lines.append(f"\t{first}\t{second}\t{rng.choice(names)}{k or ''}\t{value}")
    return "\n".join(lines)


def document(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "2024年度单位预算公开\n十、绩效管理情况\n" + "\n\n".join(sheet(i, rng) for i in range(1, n + 1)) + "\n"


def as_workbook(text: str, path: Path) -> None:
    """The same sheet as an .xlsx: one row per line, one cell per tab-separated field."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for line in text.split("\n"):
        ws.append(line.split("\t"))
    wb.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(document(args.n, args.seed))


if __name__ == "__main__":
    main()

"""Synthetic budgets for scale runs: many departments of real places, several years, as .txt,
.xlsx and .csv, with consistent totals and a truth file of what each one states.

Each department is a real county-level place (db/places.tsv) with one of a dozen offices, so
many issuers share place words (12 offices of 北京市朝阳区, and 朝阳区 also in 长春市). Each
document prints a 支出总表 (function 科目, 合计 = 基本支出 + 项目支出, parents = sum of their
children) and a 基本支出表 (economic 科目, 人员经费 / 公用经费), whose total is the 支出总表's
基本支出; its text states the totals and the 机关运行经费 (= 公用经费). Amounts are integer 分
drawn from a seeded generator, printed in 万元 with two decimals (so 分 are multiples of 100).

    from synth import generate
    truth = generate(Path("/tmp/corpus"), 1000)
"""
from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from db.places import county_places

OFFICES = ("财政局", "教育局", "卫生健康委员会", "医疗保障局", "发展和改革委员会", "人力资源和社会保障局",
           "民政局", "公安局", "自然资源局", "生态环境局", "交通运输局", "农业农村局")
YEARS = tuple(range(2019, 2026))
FORMATS = ("txt", "xlsx", "csv")

# function 科目: (code, name, parent, side) — side says which column a leaf's money sits in
FUNCTION = (
    ("201", "一般公共服务支出", None, None),
    ("20103", "政府办公厅（室）及相关机构事务", "201", None),
    ("2010301", "行政运行", "20103", "基本支出"),
    ("2010302", "一般行政管理事务", "20103", "项目支出"),
    ("208", "社会保障和就业支出", None, None),
    ("20805", "行政事业单位养老支出", "208", None),
    ("2080505", "机关事业单位基本养老保险缴费支出", "20805", "基本支出"),
    ("2080506", "机关事业单位职业年金缴费支出", "20805", "基本支出"),
    ("210", "卫生健康支出", None, None),
    ("21011", "行政事业单位医疗", "210", None),
    ("2101101", "行政单位医疗", "21011", "基本支出"),
    ("221", "住房保障支出", None, None),
    ("22102", "住房改革支出", "221", None),
    ("2210201", "住房公积金", "22102", "基本支出"),
)
# economic 科目 of 基本支出: (code, name, parent, column)
ECONOMIC = (
    ("301", "工资福利支出", None, "人员经费"),
    ("30101", "基本工资", "301", "人员经费"),
    ("30102", "津贴补贴", "301", "人员经费"),
    ("30103", "奖金", "301", "人员经费"),
    ("30108", "机关事业单位基本养老保险缴费", "301", "人员经费"),
    ("30109", "职业年金缴费", "301", "人员经费"),
    ("30110", "职工基本医疗保险缴费", "301", "人员经费"),
    ("30113", "住房公积金", "301", "人员经费"),
    ("302", "商品和服务支出", None, "公用经费"),
    ("30201", "办公费", "302", "公用经费"),
    ("30211", "差旅费", "302", "公用经费"),
    ("30231", "公务用车运行维护费", "302", "公用经费"),
    ("30299", "其他商品和服务支出", "302", "公用经费"),
)


@dataclass
class Budget:
    """One document: who, when, the format it is printed in, and its amounts in 分."""

    issuer: str
    year: int
    fmt: str
    function: dict[str, dict[str, int]] = field(default_factory=dict)  # code → {合计, 基本支出, 项目支出}
    economic: dict[str, dict[str, int]] = field(default_factory=dict)  # code → {合计, 人员经费, 公用经费}

    @property
    def title(self) -> str:
        return f"{self.issuer}{self.year}年部门预算"

    def truth(self) -> dict:
        f, e = self.function, self.economic
        return {"issuer": self.issuer, "year": self.year, "format": self.fmt, "title": self.title,
                "total_fen": sum(v["合计"] for c, v in f.items() if len(c) == 3),
                "basic_fen": sum(v["基本支出"] for c, v in f.items() if len(c) == 3),
                "project_fen": sum(v["项目支出"] for c, v in f.items() if len(c) == 3),
                "function_fen": {c: v["合计"] for c, v in f.items()},
                "economic_fen": {c: v["合计"] for c, v in e.items()},
                "operating_fen": e["302"]["合计"]}


def places() -> list[str]:
    """County-level places with their province and city: 福建省福州市鼓楼区 …"""
    return county_places()


def _wan(rng: random.Random, low: int, high: int) -> int:
    """An amount of whole 0.01万元 (100 元 = 10,000 分) between low and high 万元."""
    return rng.randint(low * 100, high * 100) * 10_000


def budget(rng: random.Random, issuer: str, year: int, fmt: str) -> Budget:
    b = Budget(issuer, year, fmt)
    leaves = {}
    for code, _, parent, column in ECONOMIC:
        if parent:
            leaves[code] = (_wan(rng, 5, 400) if column == "人员经费" else _wan(rng, 1, 60), column)
    for code, _, parent, column in ECONOMIC:
        amount = leaves[code][0] if parent else sum(a for c, (a, _) in leaves.items() if c.startswith(code))
        b.economic[code] = {"合计": amount, "人员经费": amount if column == "人员经费" else 0,
                            "公用经费": amount if column == "公用经费" else 0}
    basic = b.economic["301"]["合计"] + b.economic["302"]["合计"]
    pension = b.economic["30108"]["合计"]
    fund = {"2080505": pension, "2080506": b.economic["30109"]["合计"], "2101101": b.economic["30110"]["合计"],
            "2210201": b.economic["30113"]["合计"]}
    fund["2010301"] = basic - sum(fund.values())
    fund["2010302"] = _wan(rng, 10, 3000)
    for code, _, parent, side in reversed(FUNCTION):
        if side:
            b.function[code] = {"合计": fund[code], "基本支出": fund[code] if side == "基本支出" else 0,
                                "项目支出": fund[code] if side == "项目支出" else 0}
        else:
            kids = [c for c, _, p, _ in FUNCTION if p == code]
            b.function[code] = {k: sum(b.function[c][k] for c in kids) for k in ("合计", "基本支出", "项目支出")}
    return b


def _show(fen: int) -> str:
    return f"{fen / 1_000_000:,.2f}" if fen else ""


def _rows(b: Budget) -> tuple[list[list[str]], list[list[str]]]:
    function = [[c, n, _show(b.function[c]["合计"]), _show(b.function[c]["基本支出"]), _show(b.function[c]["项目支出"])]
                for c, n, _, _ in FUNCTION]
    top = [c for c, _, p, _ in FUNCTION if p is None]
    function.append(["", "合计"] + [_show(sum(b.function[c][k] for c in top)) for k in ("合计", "基本支出", "项目支出")])
    economic = [[c, n, _show(b.economic[c]["合计"]), _show(b.economic[c]["人员经费"]), _show(b.economic[c]["公用经费"])]
                for c, n, _, _ in ECONOMIC]
    economic.append(["", "合计"] + [_show(sum(b.economic[c][k] for c in ("301", "302")))
                                    for k in ("合计", "人员经费", "公用经费")])
    return function, economic


FUNCTION_HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
ECONOMIC_HEADER = ["科目编码", "科目名称", "合计", "人员经费", "公用经费"]


def _paragraphs(b: Budget) -> list[str]:
    t = b.truth()
    return [f"{b.year}年{b.issuer}支出预算{_show(t['total_fen'])}万元，其中：基本支出{_show(t['basic_fen'])}万元，"
            f"项目支出{_show(t['project_fen'])}万元。",
            f"{b.year}年{b.issuer}机关运行经费财政拨款预算{_show(t['operating_fen'])}万元。"]


def write_txt(b: Budget, path: Path) -> None:
    function, economic = _rows(b)
    lines = [b.issuer, f"{b.year}年部门预算", "", "一、部门预算编制说明", *_paragraphs(b), ""]
    for title, header, rows in (("支出总表", FUNCTION_HEADER, function),
                                ("一般公共预算基本支出表", ECONOMIC_HEADER, economic)):
        lines += [title, "单位：万元", "\t".join(header)] + ["\t".join(r) for r in rows] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_csv(b: Budget, path: Path) -> None:
    function, economic = _rows(b)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([f"{b.year}年部门预算支出总表"])
        out.writerow([f"编制部门：{b.issuer}", "", "", "", "单位：万元"])
        out.writerow(FUNCTION_HEADER)
        out.writerows(function)
        out.writerow([])
        out.writerow([f"{b.year}年一般公共预算基本支出表"])
        out.writerow([f"编制部门：{b.issuer}", "", "", "", "单位：万元"])
        out.writerow(ECONOMIC_HEADER)
        out.writerows(economic)


def write_xlsx(b: Budget, path: Path) -> None:
    from openpyxl import Workbook

    function, economic = _rows(b)
    wb = Workbook()
    for k, (title, header, rows) in enumerate((("支出总表", FUNCTION_HEADER, function),
                                              ("一般公共预算基本支出表", ECONOMIC_HEADER, economic))):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = title
        ws.append([f"{b.year}年部门预算{title}"])
        ws.merge_cells("A1:E1")
        ws.append([f"编制部门：{b.issuer}", None, None, None, "单位：万元"])
        ws.append(header)
        for row in rows:
            ws.append([cell if j < 2 or not cell else float(cell.replace(",", "")) for j, cell in enumerate(row)])
            for cell in ws[ws.max_row][2:]:
                cell.number_format = "#,##0.00"
    wb.save(path)


WRITERS = {"txt": write_txt, "csv": write_csv, "xlsx": write_xlsx}


def plan(n: int, seed: int = 17) -> list[Budget]:
    """N budgets: departments of real places × offices, each published for a run of years."""
    rng = random.Random(seed)
    departments = max(1, n // 5)  # about five years per department
    where = places()
    issuers = [where[(d // len(OFFICES)) % len(where)] + OFFICES[d % len(OFFICES)] for d in range(departments)]
    out = []
    for i in range(n):
        d = i % departments
        year = YEARS[(i // departments + d) % len(YEARS)]
        out.append(budget(rng, issuers[d], year, FORMATS[i % len(FORMATS)]))
    return out


def generate(folder: Path, n: int, seed: int = 17) -> list[dict]:
    """Write N documents into `folder` and `folder/truth.json`; returns the truth records."""
    folder.mkdir(parents=True, exist_ok=True)
    truth = []
    for i, b in enumerate(plan(n, seed)):
        path = folder / f"{i:06d}.{b.fmt}"
        WRITERS[b.fmt](b, path)
        truth.append({**b.truth(), "file": path.name})
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return truth

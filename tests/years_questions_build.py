"""Writes tests/data/years_questions.jsonl: expected figures computed from the synthetic corpus's
truth file (benchmarks/synth.py generate(folder, 200), seed 17), never from the engine.

    python tests/years_questions_build.py FOLDER/truth.json tests/data/years_questions.jsonl
"""
import json, sys
from decimal import Decimal, ROUND_HALF_UP
t = json.load(open(sys.argv[1], encoding='utf-8'))
B = {r['issuer'].removeprefix('北京市'): r for r in []}
by = {}
for r in t:
    by[(r['issuer'].removeprefix('北京市'), r['year'])] = r
ECON = {'基本工资': '30101', '津贴补贴': '30102', '奖金': '30103', '办公费': '30201', '差旅费': '30211',
        '工资福利支出': '301', '商品和服务支出': '302', '公务用车运行维护费': '30231'}
FUNC = {'行政运行': '2010301', '行政单位医疗': '2101101'}
def fen(body, year, what):
    r = by[(body, year)]
    if what in ECON: return r['economic_fen'][ECON[what]]
    if what in FUNC: return r['function_fen'][FUNC[what]]
    return {'支出总额': r['total_fen'], '基本支出': r['basic_fen'], '项目支出': r['project_fen'],
            '机关运行经费': r['operating_fen'], '住房公积金': r['economic_fen']['30113']}[what]
def wan(f): return float(Decimal(f) / Decimal(1_000_000))
def loaded(body, year): return (body, year) in by
def years_of(body): return sorted(y for (b, y) in by if b == body)
def rate(a, b): return float((Decimal(b - a) * 100 / Decimal(a)).quantize(Decimal('0.01'), ROUND_HALF_UP))
def cagr(a, b, n): return round(((b / a) ** (1 / n) - 1) * 100, 2)
items = []
def add(cat, q, expect, **kw):
    items.append({"id": f"y{len(items)+1:03d}", "cat": cat, "q": q, "expect": expect, **kw})
def val(v, unit='万元', **kw): return {"value": v, "unit": unit, **kw}
def vals(vs, unit='万元'): return {"values": vs, "unit": unit}
NO = {"status": "no_answer"}
def change(body, y0, y1, what): return wan(abs(fen(body, y1, what) - fen(body, y0, what)))
def chg_expect(body, y0, y1, what):
    if not (loaded(body, y0) and loaded(body, y1)): return NO
    return vals([wan(fen(body, y0, what)), wan(fen(body, y1, what)), change(body, y0, y1, what)])
def rate_expect(body, y0, y1, what):
    if not (loaded(body, y0) and loaded(body, y1)): return NO
    return val(rate(fen(body, y0, what), fen(body, y1, what)), '%', tol=0.01)

D, X, C, F = '东城区医疗保障局', '西城区医疗保障局', '朝阳区医疗保障局', '丰台区医疗保障局'
# --- against last year: the text states no change, the tables of two loaded years do
add("prev_year", "北京市东城区医疗保障局2025年基本工资比上年增长多少？", chg_expect(D, 2024, 2025, '基本工资'))
add("prev_year", "西城区医保局2023年办公费同比增长多少", chg_expect(X, 2022, 2023, '办公费'))
add("prev_year", "朝阳区医保局2021年差旅费较上年增减多少", chg_expect(C, 2020, 2021, '差旅费'))
add("prev_year", "丰台区医保局2024年行政运行比上年的增长率", rate_expect(F, 2023, 2024, '行政运行'))
add("prev_year", "东城区财政局2023年津贴补贴比上年增长百分之几", rate_expect('东城区财政局', 2022, 2023, '津贴补贴'))
add("prev_year", "西城区教育局2021年项目支出比上年增加了多少", chg_expect('西城区教育局', 2020, 2021, '项目支出'))
add("prev_year", "东城区教育局2022年基本支出与上年相比变化多少", chg_expect('东城区教育局', 2021, 2022, '基本支出'))
add("prev_year", "东城区医保局2025年机关运行经费比2022年增长多少", chg_expect(D, 2022, 2025, '机关运行经费'))  # both stated in text only
add("prev_year", "东城区医保局2025年机关运行经费比上年增长多少", NO)  # 2024's is printed in no text
add("prev_year", "东城区医保局2020年基本工资比上年增长多少", NO)  # 2020 not loaded
add("prev_year", "东城区医保局2022年基本工资比上年增长多少", NO)  # 2021 not loaded
add("prev_year", "西城区医保局2022年工资福利支出同比增长率", rate_expect(X, 2021, 2022, '工资福利支出'))
add("prev_year", "东城区卫生健康委员会2024年行政单位医疗比去年增加多少", chg_expect('东城区卫生健康委员会', 2023, 2024, '行政单位医疗'))
add("prev_year", "东城区医保局和西城区医保局2024年基本工资比上年增长多少",
    vals(chg_expect(D, 2023, 2024, '基本工资')["values"] + chg_expect(X, 2023, 2024, '基本工资')["values"]))
add("prev_year", "东城区医保局和西城区医保局2022年基本工资比上年增长多少",
    {**chg_expect(X, 2021, 2022, '基本工资'), "text": "没有载入北京市东城区医疗保障局2021年的预算"})
# --- no year: the latest loaded year against the one before
add("no_year", "东城区医保局基本工资比上年增长多少", {**chg_expect(D, 2024, 2025, '基本工资'), "text": "没有指明年份：用已载入的最近一年2025年与2024年比较"})
add("no_year", "西城区医保局办公费比上年增长多少", {**chg_expect(X, 2023, 2024, '办公费'), "text": "最近一年2024年与2023年比较"})
add("no_year", "朝阳区医保局基本工资同比增长率", NO)  # latest 2025, 2024 not loaded
add("no_year", "丰台区医保局奖金比上年增加多少", chg_expect(F, 2024, 2025, '奖金'))
# --- two years named
add("range", "北京市东城区医疗保障局基本工资2024到2025年的变化", chg_expect(D, 2024, 2025, '基本工资'))
add("range", "西城区医保局办公费2020年至2024年增长了多少", chg_expect(X, 2020, 2024, '办公费'))
add("range", "东城区财政局2019-2023年行政运行的变化", chg_expect('东城区财政局', 2019, 2023, '行政运行'))
add("range", "东城区教育局从2020年到2024年基本支出增加了多少", chg_expect('东城区教育局', 2020, 2024, '基本支出'))
add("range", "西城区财政局2021年到2024年的差旅费变化", chg_expect('西城区财政局', 2021, 2024, '差旅费'))
add("range", "西城区医保局2019年到2023年基本工资增长了多少", NO)  # 2019 not loaded
add("range", "东城区医保局2025年基本工资与2024年相比增加了多少", chg_expect(D, 2024, 2025, '基本工资'))
add("range", "西城区医保局2023年比2022年办公费增长率是多少", rate_expect(X, 2022, 2023, '办公费'))
add("range", "东城区医保局2025年的基本工资比2023年多多少", chg_expect(D, 2023, 2025, '基本工资'))
add("range", "丰台区医保局2025年基本工资比2023年增长了百分之几", rate_expect(F, 2023, 2025, '基本工资'))
add("range", "西城区医保局2024年奖金和2020年比变化了多少", chg_expect(X, 2020, 2024, '奖金'))
add("range", "东城区医保局2019年以来基本工资的变化", chg_expect(D, 2019, 2025, '基本工资'))
add("average", "西城区医保局2021年以来办公费年均增长率", val(cagr(fen(X, 2021, '办公费'), fen(X, 2024, '办公费'), 3), '%', tol=0.01))
add("series", "东城区医保局2022年以来的基本工资", vals([wan(fen(D, y, '基本工资')) for y in (2022, 2023, 2024, 2025)]))
add("series", "东城区医保局和西城区医保局近三年基本工资",
    vals([wan(fen(b, y, '基本工资')) for b in (D, X) for y in years_of(b)[-3:]]))
pos = sorted([b for (b, y) in by if y == 2025 and b.startswith('东城区')], key=lambda b: -fen(b, 2025, '基本工资')).index(D) + 1
add("rank", "东城区医保局2025年基本工资在东城区各局中排第几", {**val(wan(fen(D, 2025, '基本工资'))), "text": f"排第{pos}"},
    known_miss="lists every 东城区 body's figure but does not state the position")
# --- series
add("series", "东城区医保局历年基本工资", vals([wan(fen(D, y, '基本工资')) for y in years_of(D)]))
add("series", "西城区医保局近三年办公费", vals([wan(fen(X, y, '办公费')) for y in years_of(X)[-3:]]))
add("series", "朝阳区医保局2019年到2022年每年的差旅费", vals([wan(fen(C, y, '差旅费')) for y in range(2019, 2023)]))
add("series", "东城区财政局各年的支出总额", vals([wan(fen('东城区财政局', y, '支出总额')) for y in years_of('东城区财政局')]))
add("series", "东城区卫生健康委员会近五年的行政运行", vals([wan(fen('东城区卫生健康委员会', y, '行政运行')) for y in range(2021, 2026)]))
add("series", "东城区医保局2021年至2023年的基本工资", vals([wan(fen(D, y, '基本工资')) for y in (2022, 2023)]))
top = max(years_of(F), key=lambda y: fen(F, y, '基本工资'))
add("highest_year", "丰台区医保局基本工资哪一年最多", {**val(wan(fen(F, top, '基本工资'))), "text": f"{top}年"})
low = min(years_of('西城区教育局'), key=lambda y: fen('西城区教育局', y, '项目支出'))
add("highest_year", "西城区教育局哪一年项目支出最少", {**val(wan(fen('西城区教育局', low, '项目支出'))), "text": f"{low}年"})
ys3 = years_of(D)[-3:]
add("series_change", "东城区医保局近三年基本工资增长了多少", {**chg_expect(D, ys3[0], ys3[-1], '基本工资'), "text": f"按已载入的{ys3[0]}年至{ys3[-1]}年比较"})
add("series_change", "西城区医保局办公费历年变化", chg_expect(X, years_of(X)[0], years_of(X)[-1], '办公费'))
def largest(body, what, falling=False):
    ys = years_of(body)
    ch = [(y, fen(body, y, what) - fen(body, y - 1, what)) for y in ys if y - 1 in ys]
    y, d = (min if falling else max)(ch, key=lambda c: c[1])
    return {**val(wan(abs(d))), "text": f"{'下降' if falling else '增长'}最多的是{y}年"}
add("highest_year", "东城区医保局基本工资哪年增长最多", largest(D, '基本工资'))
add("highest_year", "西城区医保局奖金哪一年下降最多", largest(X, '奖金', True))
add("ratio_years", "东城区医保局2025年基本工资是2024年的多少倍", val(round(fen(D, 2025, '基本工资') / fen(D, 2024, '基本工资'), 4), '倍', tol=0.0001))
add("ratio_years", "西城区医保局2023年办公费占2022年的百分之几", val(round(fen(X, 2023, '办公费') / fen(X, 2022, '办公费') * 100, 2), '%', tol=0.01))
add("ratio_years", "朝阳区医保局2025年基本工资是2024年的几倍", NO)  # 2024 not loaded
add("sum_years", "东城区医保局2023年到2025年基本工资合计", val(wan(sum(fen(D, y, '基本工资') for y in (2023, 2024, 2025)))))
add("sum_years", "西城区医保局2021年和2022年办公费一共多少", val(wan(fen(X, 2021, '办公费') + fen(X, 2022, '办公费'))))
# --- averages over years
ys = years_of(D)[-4:]
add("average", "东城区医保局2022到2025年基本工资年均增长率", val(cagr(fen(D, 2022, '基本工资'), fen(D, 2025, '基本工资'), 3), '%', tol=0.01))
add("average", "西城区医保局2020到2024年办公费年均增长率是多少", val(cagr(fen(X, 2020, '办公费'), fen(X, 2024, '办公费'), 4), '%', tol=0.01))
add("average", "东城区财政局2019年到2023年平均每年的基本工资是多少", val(round(sum(wan(fen('东城区财政局', y, '基本工资')) for y in range(2019, 2024)) / 5, 2), tol=0.01))
add("average", "朝阳区医保局历年奖金的平均值", val(round(sum(wan(fen(C, y, '奖金')) for y in years_of(C)) / len(years_of(C)), 2), tol=0.01))
# --- rankings within a year (bodies of one office with that year loaded)
def rank(office, year, what, most=True):
    bodies = [b for (b, y) in by if y == year and b.endswith(office)]
    pick = (max if most else min)(bodies, key=lambda b: fen(b, year, what))
    return {**val(wan(fen(pick, year, what))), "text": pick}
add("rank", "2024年哪个教育局的基本工资最多", rank('教育局', 2024, '基本工资'))
add("rank", "2022年项目支出最少的财政局是哪个", rank('财政局', 2022, '项目支出', False))
add("rank", "2023年各交通运输局的办公费从高到低排名", rank('交通运输局', 2023, '办公费'))
add("rank", "2025年哪个民政局的支出总额最高", rank('民政局', 2025, '支出总额'))
def place_rank(place, year, what):
    bodies = [b for (b, y) in by if y == year and b.startswith(place)]
    pick = max(bodies, key=lambda b: fen(b, year, what))
    return {**val(wan(fen(pick, year, what))), "text": pick}
add("rank", "2024年东城区各局的办公费排名", place_rank('东城区', 2024, '办公费'))
add("rank", "2023年西城区哪个单位的基本工资最多", place_rank('西城区', 2023, '基本工资'))
add("rank", "东城区各局2024年基本工资合计", val(wan(sum(fen(b, 2024, '基本工资') for (b, y) in by if y == 2024 and b.startswith('东城区')))))
# --- two bodies compared
def two(b1, b2, year, what):
    if not (loaded(b1, year) and loaded(b2, year)): return NO
    return vals([wan(fen(b1, year, what)), wan(fen(b2, year, what)), wan(abs(fen(b1, year, what) - fen(b2, year, what)))])
def more_text(b1, b2, year, what):
    e = two(b1, b2, year, what)
    return {**e, "text": "北京市" + (b1 if fen(b1, year, what) > fen(b2, year, what) else b2) + "较多"}
add("two_bodies", "东城区医保局和西城区医保局2024年基本工资谁多？", more_text(D, X, 2024, '基本工资'))
add("two_bodies", "东城区财政局和西城区财政局2020年行政运行相差多少", two('东城区财政局', '西城区财政局', 2020, '行政运行'))
add("two_bodies", "朝阳区教育局2023年办公费比东城区教育局高多少", two('朝阳区教育局', '东城区教育局', 2023, '办公费'))
add("two_bodies", "东城区卫健委和西城区卫健委2022年支出总额的差额", two('东城区卫生健康委员会', '西城区卫生健康委员会', 2022, '支出总额'))
add("two_bodies", "东城区医保局和朝阳区医保局2024年基本工资谁多", NO)  # 朝阳 2024 not loaded
add("two_bodies", "东城区医保局2025年和西城区医保局2024年的基本工资相差多少", vals([wan(fen(D, 2025, '基本工资')), wan(fen(X, 2024, '基本工资')), wan(abs(fen(D, 2025, '基本工资') - fen(X, 2024, '基本工资')))]))
add("two_bodies", "东城区医保局和西城区医保局2023年的差旅费合计", val(wan(fen(D, 2023, '差旅费') + fen(X, 2023, '差旅费'))))
add("two_bodies", "西城区公安局2024年的奖金比东城区公安局少多少", NO)  # 东城区公安局 2024 not loaded
add("two_bodies", "丰台区医保局和东城区医保局2023年津贴补贴哪个高", {**vals([wan(fen(F, 2023, '津贴补贴')), wan(fen(D, 2023, '津贴补贴'))]), "text": "北京市东城区医疗保障局"})
# --- follow-ups
def turns(cat, pairs):
    items.append({"id": f"y{len(items)+1:03d}", "cat": cat, "turns": [{"q": q, "expect": e} for q, e in pairs]})
turns("followup", [("东城区医保局2024年基本工资是多少", val(wan(fen(D, 2024, '基本工资')))),
                   ("那西城区呢？", val(wan(fen(X, 2024, '基本工资'))))])
turns("followup", [("西城区医保局2024年办公费", val(wan(fen(X, 2024, '办公费')))),
                   ("前年呢？", val(wan(fen(X, 2022, '办公费'))))])
turns("followup", [("东城区财政局2021年行政运行", val(wan(fen('东城区财政局', 2021, '行政运行')))),
                   ("上一年呢", val(wan(fen('东城区财政局', 2020, '行政运行'))))])
turns("followup", [("东城区医保局2025年基本工资比上年增长多少", chg_expect(D, 2024, 2025, '基本工资')),
                   ("那丰台区呢？", chg_expect(F, 2024, 2025, '基本工资'))])
turns("followup", [("东城区医保局2025年基本工资比上年增长多少", chg_expect(D, 2024, 2025, '基本工资')),
                   ("那西城区呢？", NO)])  # 西城区 2025 not loaded
turns("followup", [("东城区医保局历年基本工资", vals([wan(fen(D, y, '基本工资')) for y in years_of(D)])),
                   ("那西城区医保局呢", vals([wan(fen(X, y, '基本工资')) for y in years_of(X)]))])
turns("followup", [("东城区医保局2024年基本工资", val(wan(fen(D, 2024, '基本工资')))),
                   ("2023年呢", val(wan(fen(D, 2023, '基本工资'))))])
turns("followup", [("东城区医保局和西城区医保局2024年基本工资谁多", more_text(D, X, 2024, '基本工资')),
                   ("2023年呢", vals([wan(fen(D, 2023, '基本工资')), wan(fen(X, 2023, '基本工资'))]))])
turns("followup", [("东城区医保局2023年办公费", val(wan(fen(D, 2023, '办公费')))),
                   ("差旅费呢", val(wan(fen(D, 2023, '差旅费')))),
                   ("两者相差多少", val(wan(abs(fen(D, 2023, '办公费') - fen(D, 2023, '差旅费')))))])
turns("followup", [("西城区医保局2022年奖金", val(wan(fen(X, 2022, '奖金')))),
                   ("比上年增长多少", chg_expect(X, 2021, 2022, '奖金'))])
# --- a year not loaded for the body
add("not_loaded", "西城区医保局2025年基本工资是多少", NO)
add("not_loaded", "东城区财政局2024年支出总额", NO)
add("not_loaded", "朝阳区医保局2023年的奖金", NO)
# --- plain lookups in a store of many years
add("lookup", "丰台区医保局2023年津贴补贴", val(wan(fen(F, 2023, '津贴补贴'))))
add("lookup", "西城区医保局2021年工资福利支出是多少", val(wan(fen(X, 2021, '工资福利支出'))))
add("lookup", "朝阳区医保局2021年机关运行经费", val(wan(fen(C, 2021, '机关运行经费'))))
add("average", "东城区医保局2022年到2025年基本工资年均增长多少", val(round((wan(fen(D, 2025, '基本工资')) - wan(fen(D, 2022, '基本工资'))) / 3, 4), tol=0.01))
add("average", "西城区医保局2019到2023年办公费平均每年多少", NO)  # 2019 not loaded
add("lookup", "东城区教育局2022年的公务用车运行维护费", val(wan(fen('东城区教育局', 2022, '公务用车运行维护费'))))
import re
OFFICES = {"医保局": "医疗保障局", "医疗保障局": "医疗保障局", "卫健委": "卫生健康委员会", "卫生健康委员会": "卫生健康委员会",
           "财政局": "财政局", "教育局": "教育局", "公安局": "公安局"}
def bodies_in(q, office=None):
    out = []
    for m in re.finditer(r"(东城区|西城区|朝阳区|丰台区)(医保局|医疗保障局|卫健委|卫生健康委员会|财政局|教育局|公安局)?", q):
        off = OFFICES.get(m.group(2) or "", None) or office
        if off is None:  # "东城区和西城区医保局": the office written once, after the last place
            later = re.search(r"(医保局|医疗保障局|卫健委|卫生健康委员会|财政局|教育局|公安局)", q[m.end():])
            off = OFFICES[later.group(1)] if later else None
        if off:
            out.append("北京市" + m.group(1) + off)
    return out
for it in items:
    if it["cat"] == "rank":
        continue
    office = None
    for turn in it.get("turns") or [it]:
        found = bodies_in(turn["q"], office)
        if found:
            office = found[-1][len("北京市东城区"):]
            last = found
        if turn["expect"] != NO:
            turn["expect"]["bodies"] = found or last
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    for it in items:
        out.write(json.dumps(it, ensure_ascii=False) + "\n")
print(len(items))

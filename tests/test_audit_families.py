"""The audit's families of checks (issue 15): each on a document that has the defect — a printed
variant of a bundled sample, a store built by hand, or a published PDF — and on one that has
not; findings as data (JSON, CSV) and the printable report."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.audit import audit_command, run_audit
from assistant.audit_report import build_report, load_findings
from conftest import SAMPLES, SHARED
from db.store import connect_readonly
from test_audit import Doc, Store

NEW_RULES = {f"R{n}" for n in range(16, 30)}


# ---- helpers -------------------------------------------------------------------------------

@pytest.fixture()
def store(tmp_path) -> Store:
    return Store(tmp_path / "audit.db")


def para(doc: Doc, text: str, section: str = "一、收支预算说明", kind: str = "paragraph") -> int:
    """One line of the text as read (what the hygiene, year and wording rules read)."""
    seq = doc.conn.execute("SELECT count(*) FROM text_lines WHERE doc_id = ?", (doc.doc_id,)).fetchone()[0] + 1
    return doc.conn.execute("INSERT INTO text_lines (doc_id, seq, kind, section, text) VALUES (?,?,?,?,?)",
                            (doc.doc_id, seq, kind, section, text)).lastrowid


def of(findings: list, rule_id: str) -> list:
    return [f for f in findings if f.rule_id == rule_id]


def variant(tmp_path: Path, sample: str, *swaps: tuple[str, str]) -> tuple[Path, list]:
    """A printed variant of a bundled sample: the same text with `swaps` made, ingested (which
    audits it) into a fresh store; returns the store and its findings."""
    from ingest.pipeline import ingest_paths

    text = (SAMPLES / sample).read_text(encoding="utf-8")
    for old, new in swaps:
        assert old in text, old
        text = text.replace(old, new, 1)
    folder = tmp_path / "variant"
    folder.mkdir()
    (folder / sample).write_text(text, encoding="utf-8")
    path = tmp_path / "variant.db"
    report = ingest_paths([folder / sample], path)
    assert not report.failed, [r.message for r in report.failed]
    return path, run_audit(path)


@pytest.fixture(scope="module")
def qinghai(tmp_path_factory) -> list:
    """The Qinghai sample as published: the clean document of these families."""
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("clean") / "clean.db"
    assert not ingest_paths([SAMPLES / "qinghai-2021-budget.txt"], path).failed
    return run_audit(path)


def test_clean_document_has_no_finding_of_the_new_families(qinghai):
    assert [f.message for f in qinghai if f.rule_id in NEW_RULES] == []


# ---- 1 completeness --------------------------------------------------------------------------

_BUDGET_TABLES = (("部门收支总表", "income_expenditure_summary"), ("部门收入总表", "income"), ("部门支出总表", "expenditure"),
                  ("财政拨款收支总表", "income_expenditure_summary"), ("一般公共预算支出表", "expenditure"),
                  ("一般公共预算基本支出表", "basic_expenditure"), ("一般公共预算“三公”经费支出表", "sangong"),
                  ("政府性基金预算支出表", "government_fund"))


def test_budget_without_its_government_fund_table_is_incomplete(store):
    doc = store.doc()
    for title, kind in _BUDGET_TABLES[:-1]:
        doc.table(title, kind)
    [finding] = of(store.audit(), "R16")
    assert "《政府性基金预算支出表》" in finding.message and finding.severity == "warning"


def test_budget_with_the_eight_national_tables_is_complete(store):
    doc = store.doc()
    for title, kind in _BUDGET_TABLES:
        doc.table(title, kind, note="本表无数据" if kind == "government_fund" else None)
    assert of(store.audit(), "R16") == []


def test_a_local_variant_title_counts_as_the_national_table(store):
    doc = store.doc()
    for title, kind in _BUDGET_TABLES[:-1]:
        doc.table(title, kind)
    doc.table("单位预算政府基金预算财政拨款支出表", "expenditure")  # Beidaihe prints 政府基金 without 性
    assert of(store.audit(), "R16") == []


def test_empty_fund_table_without_its_note_is_a_finding(store):
    doc = store.doc()
    doc.table("政府性基金预算支出表", "government_fund", rows=(("合计", ""),))
    [finding] = of(store.audit(), "R17")
    assert "政府性基金预算支出表" in finding.message


def test_empty_fund_table_explained_in_the_text_is_fine(store):
    doc = store.doc()
    doc.table("政府性基金预算支出表", "government_fund", rows=(("合计", ""),))
    para(doc, "青海省医疗保障局2021年没有使用政府性基金预算拨款安排的支出。")
    assert of(store.audit(), "R17") == []


def test_contents_listing_a_table_the_file_lacks(tmp_path):
    """Lianhu's 报表目录 lists 表2 部门综合预算收入总表; the file has no such table (real)."""
    _, findings = variant(tmp_path, "lianhu-2024-budget.txt")
    r18 = of(findings, "R18")
    assert any("部门综合预算收入总表" in f.message and f.severity == "warning" for f in r18)
    assert any("结转资金支出表" in f.message and f.severity == "info" for f in r18)  # listed as empty


def test_contents_in_the_text_against_the_tables(store):
    doc = store.doc()
    doc.table("部门收支总表", "income_expenditure_summary")
    doc.table("部门收入总表", "income")
    para(doc, "目 录", kind="heading")
    for line in ("一、部门收支总表", "二、部门收入总表", "三、部门支出总表"):
        para(doc, line, section=None)
    [finding] = of(store.audit(), "R18")
    assert "部门支出总表" in finding.message


def test_text_without_a_required_section(store):
    doc = store.doc()
    doc.table("部门收支总表", "income_expenditure_summary")
    for text in ("“三公”经费预算1万元。", "机关运行经费10万元。", "政府采购预算5万元。", "共有车辆2辆。", "部门收入100万元。"):
        para(doc, text)
    [finding] = of(store.audit(), "R19")
    assert "绩效" in finding.message


# ---- 2 template residue and text hygiene -----------------------------------------------------

def test_template_residue_left_in_the_text(tmp_path):
    _, findings = variant(tmp_path, "qinghai-2021-budget.txt",
                          ("减少 0.43 万元，下降 25.6%。2021 年对“三公”经费预算进行了",
                           "减少 0.43 万元，下降 25.6%。本表仍保留该表格式。XX局经费待填写。2021 年对“三公”经费预算进行了"))
    found = {f.subject for f in of(findings, "R20")}
    assert {"仍保留该表格式", "XX", "待填写"} <= found
    assert all(f.severity == "error" for f in of(findings, "R20"))


def test_both_words_of_a_template_choice_left_in(store):
    doc = store.doc()
    para(doc, "2021年收入预算100万元，比上年下降（增长）5%。")
    [finding] = of(store.audit(), "R20")
    assert finding.subject == "下降（增长）"


def test_doubled_full_stop_in_the_published_text(tmp_path):
    """Beidaihe prints "公务接待费0万元。。" (real)."""
    _, findings = variant(tmp_path, "beidaihe-2021-budget.txt")
    assert any(f.subject == "。。" and "公务接待费0万元" in f.message for f in of(findings, "R21"))


def test_repeated_word(store):
    doc = store.doc()
    para(doc, "基本支出支出主要用于人员经费。")
    [finding] = of(store.audit(), "R21")
    assert finding.subject == "支出支出"


def test_clean_text_has_no_hygiene_finding(store):
    doc = store.doc()
    para(doc, "2021年“三公”经费预算数为9.82万元，比上年减少2.08万元，下降17.48%。主要原因是压减经费。")
    assert of(store.audit(), "R20") + of(store.audit(), "R21") == []


# ---- 3 the report's own year and name ------------------------------------------------------

def test_heading_naming_last_year(tmp_path):
    _, findings = variant(tmp_path, "qinghai-2021-budget.txt",
                          ("七、关于青海省医疗保障局 2021 年“三公”经费预算情况说", "七、关于青海省医疗保障局 2020 年“三公”经费预算情况说"))
    [finding] = of(findings, "R22")
    assert "2020年" in finding.message and finding.stated == 2020 and finding.expected == 2021


def test_year_end_date_of_the_wrong_year(store):
    doc = store.doc(year=2024, kind="决算")
    para(doc, "截至2023年12月31日，本部门共有车辆2辆。", section="（三）国有资产占有使用情况说明")
    [finding] = of(store.audit(), "R22")
    assert "截至2023年12月31日" in finding.message


def test_budget_states_assets_at_the_end_of_last_year(store):
    doc = store.doc(year=2025)
    para(doc, "截至2024年12月31日，本部门共有车辆0辆。", section="国有资产占有使用情况")
    assert of(store.audit(), "R22") == []


def test_table_header_prints_the_city_level_body(store):
    doc = store.conn.execute(
        "INSERT INTO documents (issuer, year, kind, title, source_file, sha256, layout, ingested_at) VALUES "
        "('上海市普陀区商务委员会', 2025, '预算', '上海市普陀区商务委员会2025年部门预算', 'a.pdf', 'x', 'pdf', 'now')").lastrowid
    d = Doc(store.conn, doc)
    d.table("部门收支总表", "income_expenditure_summary", rows=(("部门名称：上海市商务委员会", ""),))
    d.table("部门收入总表", "income", rows=(("部门名称：上海市普陀区商务委员会", ""),))
    [finding] = of(store.audit(), "R23")
    assert "上海市商务委员会" in finding.message and "部门收支总表" in finding.message


# ---- 4 text against blank cells ------------------------------------------------------------

def _final_sangong(doc: Doc) -> int:
    t = doc.table("财政拨款“三公”经费支出决算表", "sangong", rows=(("0.95", "", "", "0.95"),))
    doc.item(t, 1, "“三公”经费合计", "0.95", measure="年初预算数", cls="sangong", total=True)
    doc.item(t, 1, "公务接待费", "0.95", measure="年初预算数", cls="sangong")
    return t


def test_text_states_a_budget_the_sangong_table_leaves_blank(store):
    doc = store.doc(year=2024, kind="决算")
    _final_sangong(doc)
    doc.text("因公出国（境）费年初预算为0.50万元", ("因公出国（境）费年初预算", "amount", "0.50"),
             section="七、财政拨款“三公”经费支出决算情况说明")
    [finding] = of(store.audit(), "R24")
    assert "因公出国（境）费" in finding.message and "为空" in finding.message


def test_text_says_none_where_the_fund_table_holds_money(store):
    doc = store.doc()
    t = doc.table("政府性基金预算支出表", "government_fund")
    doc.item(t, 1, "合计", "12.00", total=True)
    para(doc, "本部门2021年无政府性基金预算财政拨款收入和支出。")
    [finding] = of(store.audit(), "R24")
    assert "12.00万元" in finding.message


# ---- 5 决算 wording against figures ------------------------------------------------------------

_FINAL = "（三）一般公共预算财政拨款支出决算具体情况"


def test_final_said_larger_than_a_larger_budget(store):
    doc = store.doc(year=2024, kind="决算")
    para(doc, "年初预算为1560.05万元，支出决算为1511.89万元。决算数大于预算数的主要原因：人员变化。", section=_FINAL)
    [finding] = of(store.audit(), "R25")
    assert "决算数大于" in finding.message and finding.stated == Decimal("1511.89")


def test_final_wording_that_matches(store):
    doc = store.doc(year=2024, kind="决算")
    para(doc, "年初预算为1560.05万元，支出决算为1511.89万元。决算数小于预算数的主要原因：人员变化。", section=_FINAL)
    para(doc, "年初预算为10.00万元，支出决算为10.00万元。决算数与预算数持平。", section=_FINAL)
    findings = store.audit()
    assert of(findings, "R25") == [] and of(findings, "R27") == []


def test_equal_said_of_different_figures(store):
    doc = store.doc(year=2024, kind="决算")
    para(doc, "年初预算为10.00万元，支出决算为9.00万元。决算数与预算数持平。", section=_FINAL)
    assert len(of(store.audit(), "R25")) == 1


def test_variance_without_a_reason(store):
    doc = store.doc(year=2024, kind="决算")
    para(doc, "年初预算为135.90万元，支出决算为135.25万元。主要用于信息化系统日常维护。", section=_FINAL)
    [finding] = of(store.audit(), "R27")
    assert finding.severity == "info"


def test_completion_rate_over_a_zero_budget_is_never_skipped(store):
    doc = store.doc(year=2024, kind="决算")
    doc.text("公务接待费年初预算为0万元，支出决算为0.20万元，完成预算的100%",
             ("公务接待费年初预算", "amount", "0"), ("公务接待费决算", "amount", "0.20"), ("完成预算的", "percent", "100"),
             section="七、“三公”经费")
    [finding] = of(store.audit(), "R26")
    assert "预算为0" in finding.message and finding.severity == "error"


# ---- 6 决算 tables against the text, one tolerance rule ------------------------------------------

def _basic_table(doc: Doc, personnel: str, public: str) -> None:
    t = doc.table("一般公共预算财政拨款基本支出决算表", "basic_expenditure")
    doc.item(t, 39, "人员经费合计", personnel, measure="决算数", cls="dept_economic")
    doc.item(t, 39, "公用经费合计", public, measure="决算数", cls="dept_economic")


def test_text_personnel_spending_against_the_basic_table_row(store):
    doc = store.doc(year=2024, kind="决算")
    _basic_table(doc, "2,152.26", "184.65")
    doc.text("其中：人员经费2100.00万元", ("人员经费", "amount", "2100.00"), section="六、一般公共预算财政拨款基本支出决算情况说明")
    [finding] = of(store.audit(), "R28")
    assert finding.severity == "error" and "2,152.26万元" in finding.message


def test_a_rounding_difference_of_001_is_a_note(store):
    doc = store.doc(year=2024, kind="决算")
    _basic_table(doc, "2,152.26", "184.65")
    doc.text("公用经费184.66万元", ("公用经费", "amount", "184.66"), section="六、一般公共预算财政拨款基本支出决算情况说明")
    [finding] = of(store.audit(), "R28")
    assert finding.severity == "info"
    assert (finding.stated, finding.expected, finding.difference, finding.unit) == (
        Decimal("184.66"), Decimal("184.65"), Decimal("0.01"), "万元")


# ---- 7 percentages ---------------------------------------------------------------------------

def test_share_over_100_percent(store):
    doc = store.doc()
    doc.text("基本支出4,777.6万元，占120%", ("基本支出", "amount", "4777.6"), ("基本支出", "share", "120"))
    [finding] = of(store.audit(), "R29")
    assert "0%到100%" in finding.message


def test_fall_of_more_than_100_percent(store):
    doc = store.doc()
    doc.text("公务接待费1万元，下降120%", ("公务接待费", "amount", "1"), ("公务接待费", "percent", "-120"))
    assert len(of(store.audit(), "R29")) == 1


# ---- 8 R12 reads the next sentence -----------------------------------------------------------

def test_reason_in_the_next_sentence_is_a_reason(store):
    doc = store.doc(year=2024, kind="决算")
    sentence = "与2023年度相比，收入支出总计减少56.95万元，下降1.87%"
    doc.text(sentence, ("收入支出", "change", "-56.95"), ("收入支出", "percent", "-1.87"), section="一、总体情况")
    para(doc, sentence + "。主要原因：基本支出中人员进出及退休变化。", section="一、总体情况")
    assert of(store.audit(), "R12") == []


def test_change_without_any_reason_is_a_note(store):
    doc = store.doc(year=2024, kind="决算")
    sentence = "与2023年度相比，收入支出总计减少56.95万元，下降1.87%"
    doc.text(sentence, ("收入支出", "change", "-56.95"), ("收入支出", "percent", "-1.87"), section="一、总体情况")
    para(doc, sentence + "。本部门共有车辆2辆。", section="一、总体情况")
    assert len(of(store.audit(), "R12")) == 1


# ---- 9 findings as data; 10 the report ---------------------------------------------------------

@pytest.fixture()
def contested(store) -> Store:
    doc = store.doc(year=2024, kind="决算")
    _basic_table(doc, "2,152.26", "184.65")
    doc.text("其中：人员经费2100.00万元", ("人员经费", "amount", "2100.00"), section="六、一般公共预算财政拨款基本支出决算情况说明")
    store.audit()
    return store


def test_json_gives_values_and_locations_as_fields(contested):
    result = CliRunner().invoke(audit_command, ["--db", str(contested.path), "--json"])
    assert result.exit_code == 0, result.output
    [finding] = [f for f in json.loads(result.output) if f["rule_id"] == "R28"]
    assert (finding["stated"], finding["expected"], finding["difference"], finding["unit"]) == (
        "2100.00", "2152.26", "-52.26", "万元")
    kinds = {loc["kind"]: loc for loc in finding["locations"]}
    assert kinds["item"]["table"] == "一般公共预算财政拨款基本支出决算表" and kinds["item"]["row"] == 39
    assert kinds["text"]["section"] == "六、一般公共预算财政拨款基本支出决算情况说明"
    assert finding["document"].startswith("测试局2024年决算")


def test_csv_for_spreadsheets(contested):
    result = CliRunner().invoke(audit_command, ["--db", str(contested.path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    row = next(r for r in rows if r["rule_id"] == "R28")
    assert row["severity"] == "错误" and row["stated"] == "2100.00" and row["expected"] == "2152.26"
    assert "《一般公共预算财政拨款基本支出决算表》第39行" in row["location"]


def test_text_output_names_severities_in_chinese(contested):
    result = CliRunner().invoke(audit_command, ["--db", str(contested.path)])
    assert "错误  R28" in result.output and "error" not in result.output


def test_html_report_to_file(contested, tmp_path):
    out = tmp_path / "审核报告.html"
    result = CliRunner().invoke(audit_command, ["--db", str(contested.path), "--report", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<h2>汇总</h2>" in page and "@media print" in page
    assert "其中：人员经费2100.00万元" in page  # the quoted sentence …
    assert "<td>人员经费合计</td>" not in page or "2,152.26" in page  # … beside the table cell
    assert page.index("汇总") < page.index("R28")


def test_markdown_report_for_one_document(contested):
    conn = connect_readonly(contested.path)
    try:
        report = build_report(conn, [1], "markdown")
    finally:
        conn.close()
    assert report.startswith("# 预决算公开审核报告") and "| 文件 | 错误 | 警告 | 提示 |" in report
    assert "错误 R28" in report and "2152.26" in report


def test_report_needs_a_known_suffix(contested, tmp_path):
    result = CliRunner().invoke(audit_command, ["--db", str(contested.path), "--report", str(tmp_path / "r.pdf")])
    assert result.exit_code != 0 and ".html" in result.output and "Traceback" not in result.output


def test_unknown_document_is_named(contested):
    result = CliRunner().invoke(audit_command, ["--db", str(contested.path), "--doc", "不存在的局"])
    assert result.exit_code != 0 and "不存在的局" in result.output


# ---- the published PDFs: every error-level finding checked by hand ------------------------------

REAL_FILES = sorted((SHARED / "real").glob("*.pdf")) + sorted((SHARED / "real2").glob("*.pdf"))

# Checked against the PDF text (pdfplumber), 2026-12-03. Each is a defect of the published file.
REAL_ERRORS = {
    "putuo-caizhengju-2024-final-accounts.pdf": [
        # "财政拨款收入支出总计0.3万元" while 财政拨款收入支出决算总表 总计 prints 2,961.68万元.
        ("R08", "0.3万元"),
        # 一般公共服务支出 2106.66 ÷ 2940.05 = 71.65%, printed 71.73% (the four shares add to 100.07%).
        ("R10", "71.73%"),
        # "因公出国（境）费决算为0.00万元，完成预算的0%": its 年初预算 is blank in the “三公” table.
        ("R26", "因公出国（境）费"),
        # the same for 公务用车购置及运行维护费.
        ("R26", "公务用车购置及运行维护费"),
    ],
    # Does not load yet (the lead is fixing its reader); checked on pdfplumber's text of the file.
    "central-swu-2021-dept-budget.pdf": [
        # page 10: the pie chart "预算收入构成情况" prints Excel's unfilled data label "[值]".
        ("R20", "[值]"),
        # the text states 使用非财政拨款结余 18,953.78万元, the 收支预算总表 prints 18,953.73.
        ("R08", "18,953.7"),
    ],
}


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not REAL_FILES:
        pytest.skip("the published PDFs are not here")
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("real-all") / "real.db"
    ingest_paths(REAL_FILES, path)
    findings = run_audit(path)
    conn = sqlite3.connect(path)
    files = dict(conn.execute("SELECT doc_id, source_file FROM documents").fetchall())
    conn.close()
    return path, findings, {Path(f).name: d for d, f in files.items()}


@pytest.mark.parametrize("name", [p.name for p in REAL_FILES])
def test_every_error_on_a_published_file_is_a_real_defect(real, name):
    _, findings, docs = real
    if name not in docs:
        pytest.skip(f"{name} is not loaded (the reader cannot read it yet)")
    errors = [f for f in findings if f.doc_id == docs[name] and f.severity == "error"]
    expected = REAL_ERRORS.get(name, [])
    for rule_id, words in expected:
        assert any(f.rule_id == rule_id and words in f.message for f in errors), (rule_id, words)
    unexpected = [f"{f.rule_id} {f.message}" for f in errors
                  if not any(f.rule_id == r and w in f.message for r, w in expected)]
    assert unexpected == [], "check these by hand against the PDF and record them above"


def test_no_r12_note_where_the_reason_follows_on_published_files(real):
    _, findings, docs = real
    name = "putuo-caizhengju-2024-final-accounts.pdf"
    if name not in docs:
        pytest.skip("the 决算 PDF is not loaded")
    assert [f.message for f in findings if f.doc_id == docs[name] and f.rule_id == "R12"] == []


def test_a_rounding_difference_between_two_published_tables_is_a_note(real):
    _, findings, docs = real
    name = "putuo-caizhengju-2024-final-accounts.pdf"
    if name not in docs:
        pytest.skip("the 决算 PDF is not loaded")
    [finding] = [f for f in findings if f.doc_id == docs[name] and f.rule_id == "R02"]
    assert "326.71万元" in finding.message and finding.severity == "info"


def test_report_of_every_published_file_loads(real):
    path, _, docs = real
    conn = connect_readonly(path)
    try:
        page = build_report(conn, None, "html")
        findings = load_findings(conn)
    finally:
        conn.close()
    assert page.count("<h2>《") == len(docs)
    assert all(loc["document"] for f in findings for loc in f["locations"])


def test_header_line_naming_the_city_level_body(store):
    """A header line read as text above a table ("部门名称：…") that names the city's bureau."""
    doc = store.conn.execute(
        "INSERT INTO documents (issuer, year, kind, title, source_file, sha256, layout, ingested_at) VALUES "
        "('西安市莲湖区医疗保障局（汇总）', 2024, '预算', '西安市莲湖区医疗保障局（汇总）2024年部门预算', 'a.txt', 'y', "
        "'text', 'now')").lastrowid
    d = Doc(store.conn, doc)
    d.table("表1 部门综合预算收支总表", "income_expenditure_summary")
    para(d, "部门名称：西安市医疗保障局", section=None)
    para(d, "部门名称：莲湖区医疗保障局", section=None)  # the short form of its own name is fine
    [finding] = of(store.audit(), "R23")
    assert "西安市医疗保障局" in finding.message and "西安市莲湖区医疗保障局" in finding.message


def test_a_store_written_before_the_text_was_kept_still_audits_and_reports(contested):
    conn = sqlite3.connect(contested.path)
    conn.executescript("DROP TABLE finding_values; DROP TABLE text_lines;")
    conn.close()
    reader = connect_readonly(contested.path)
    try:
        findings = load_findings(reader)
        from assistant.rules import DocData
        assert DocData.load(reader, 1).lines == []
    finally:
        reader.close()
    assert any(f["rule_id"] == "R28" and f["stated"] is None for f in findings)


def test_a_university_budget_follows_its_four_table_format(real):
    """西南大学 publishes the four tables of the 教育部 university format (a documented variant):
    neither missing tables nor missing sections are reported."""
    _, findings, docs = real
    name = "central-swu-2021-dept-budget.pdf"
    if name not in docs:
        pytest.skip(f"{name} is not loaded")
    assert [f.message for f in findings if f.doc_id == docs[name] and f.rule_id in ("R16", "R19")] == []


def test_reason_given_before_a_breakdown_covers_its_parts(real):
    """西南大学: "…减少2,219.02万元，主要原因一是…。其中：教育支出减少1,505.49万元…" gives the reason once."""
    _, findings, docs = real
    name = "central-swu-2021-dept-budget.pdf"
    if name not in docs:
        pytest.skip(f"{name} is not loaded")
    notes = [f.message for f in findings if f.doc_id == docs[name] and f.rule_id == "R12"]
    assert not any("教育支出" in m for m in notes)
    assert any("住房保障支出" in m for m in notes)  # "住房保障支出比上年增加7.68万元。" gives none


def _half(store: Store, part: str) -> Doc:
    doc_id = store.conn.execute(
        "INSERT INTO documents (issuer, year, kind, scope, title, source_file, sha256, layout, ingested_at, part) "
        "VALUES ('中共测试省委办公厅', 2019, '预算', '部门', ?, ?, ?, 'pdf', 'now', ?)",
        (f"中共测试省委办公厅2019年部门预算{part}", f"{part}.pdf", f"sha-{part}", part)).lastrowid
    return Doc(store.conn, doc_id)


def test_the_text_half_of_a_two_file_budget_is_read_against_the_tables_half(store):
    tables, text = _half(store, "tables"), _half(store, "text")
    t = tables.table("支出总表", "expenditure")
    tables.item(t, 1, "合计", "20,000.00", measure="合计", total=True)
    tables.item(t, 1, "合计", "11,700.63", measure="基本支出", total=True)
    tables.item(t, 1, "合计", "7,000.00", measure="项目支出", total=True)  # 11,700.63 + 7,000 ≠ 20,000
    text.text("基本支出11,800.63万元", ("基本支出", "amount", "11800.63"))
    findings = store.audit()
    on_text = [f for f in findings if f.doc_id == text.doc_id]
    on_tables = [f for f in findings if f.doc_id == tables.doc_id]
    assert [f.rule_id for f in on_text] == ["R08"]  # the text against the other file's table
    assert "R04" in {f.rule_id for f in on_tables}  # 基本 + 项目 ≠ 合计: the tables half's own finding …
    assert "R04" not in {f.rule_id for f in on_text}  # … reported once
    assert "R08" not in {f.rule_id for f in on_tables}


def test_heading_left_from_another_departments_budget(store):
    doc = store.conn.execute(
        "INSERT INTO documents (issuer, year, kind, title, source_file, sha256, layout, ingested_at) VALUES "
        "('上海市普陀区商务委员会', 2025, '预算', '上海市普陀区商务委员会2025年部门预算', 'a.pdf', 'z', 'pdf', 'now')").lastrowid
    d = Doc(store.conn, doc)
    d.table("部门收支总表", "income_expenditure_summary")
    para(d, "上海市普陀区商务委员会2025年部门预算", section=None, kind="heading")  # its own title
    para(d, "一、收入预算", section="关于上海市普陀区财政局2025年部门预算的说明")
    [finding] = of(store.audit(), "R23")
    assert "上海市普陀区财政局" in finding.message

"""budgetqa audit: each rule on a document that breaks it and on one that keeps it, the
findings on the bundled samples (real values), storage, the engine's reader and the CLI."""
from __future__ import annotations

import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.audit import RULES, audit_command, findings_for, run_audit
from conftest import SHARED, doc_id
from db.store import connect_readonly, connect_writer

FEN = {"元": Decimal(100), "万元": Decimal(1_000_000)}


# ---- a small store built by hand ---------------------------------------------------------

class Store:
    """Documents, tables, line items and text figures written straight into a fresh store."""

    def __init__(self, path: Path):
        self.path = path
        self.conn = connect_writer(path)
        self._docs = 0

    def doc(self, year: int | None = 2021, kind: str = "预算") -> "Doc":
        self._docs += 1
        doc_id = self.conn.execute(
            "INSERT INTO documents (issuer, year, kind, title, source_file, sha256, layout, ingested_at) "
            "VALUES ('测试局', ?, ?, ?, ?, ?, 'test', 'now')",
            (year, kind, f"测试局{year}年{kind}{self._docs}", f"f{self._docs}.txt", f"sha{self._docs}")).lastrowid
        return Doc(self.conn, doc_id)

    def audit(self, rule_id: str | None = None) -> list:
        found = run_audit(self.path)
        return [f for f in found if rule_id is None or f.rule_id == rule_id]


class Doc:
    def __init__(self, conn: sqlite3.Connection, doc_id: int):
        self.conn, self.doc_id, self._seq, self._line = conn, doc_id, 0, 0

    def table(self, title: str, kind: str, unit: str = "万元", note: str | None = None, is_empty: bool = False,
              columns: tuple[str, ...] = (), rows: tuple[tuple[str, ...], ...] = ()) -> int:
        self._seq += 1
        table_id = self.conn.execute(
            "INSERT INTO source_tables (doc_id, seq, title, table_kind, unit, columns_json, is_empty, note) "
            "VALUES (?,?,?,?,?,?,?,?)", (self.doc_id, self._seq, title, kind, unit,
                                         json.dumps(list(columns), ensure_ascii=False), int(is_empty), note)).lastrowid
        for n, cells in enumerate(rows, 1):
            self.conn.execute("INSERT INTO table_rows (table_id, row_no, cells_json) VALUES (?,?,?)",
                              (table_id, n, json.dumps(list(cells), ensure_ascii=False)))
        return table_id

    def item(self, table_id: int, row_no: int, name: str, amount: str, measure: str = "合计", code: str | None = None,
             parent: str | None = None, level: str | None = None, total: bool = False, cls: str = "function",
             side: str | None = None, unit: str = "万元", uncertain: bool = False) -> int:
        fen = int(Decimal(amount.replace(",", "")) * FEN[unit])
        return self.conn.execute(
            "INSERT INTO line_items (doc_id, table_id, row_no, code, name, classification, side, parent_code, level, "
            "is_total, measure, column_label, amount_fen, amount_text, unit, uncertain, raw_text) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (self.doc_id, table_id, row_no, code, name, cls, side, parent, level, int(total), measure, measure,
             fen, amount, unit, int(uncertain), name)).lastrowid

    def text(self, sentence: str, *figures: tuple, section: str = "一、收支预算说明") -> None:
        """One sentence and its figures: (subject, kind, value[, unit[, code[, compared_to]]])."""
        self._line += 1
        for fig in figures:
            subject, kind, value, unit, code, compared = (list(fig) + [None] * 6)[:6]
            unit = unit or ("%" if kind in ("percent", "share") else "万元")
            compared = compared or ("上年" if kind in ("change", "percent") else None)
            self.conn.execute(
                "INSERT INTO text_figures (doc_id, section, sentence, subject, code, kind, value, unit, compared_to, "
                "line) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (self.doc_id, section, sentence, subject, code, kind, value, unit, compared, self._line))


@pytest.fixture()
def store(tmp_path) -> Store:
    return Store(tmp_path / "audit.db")


# ---- the bundled samples -----------------------------------------------------------------

@pytest.fixture(scope="module")
def audited(samples_db, tmp_path_factory):
    """The samples store, copied (other tests read the shared one) and audited."""
    path = tmp_path_factory.mktemp("audit") / "samples.db"
    shutil.copy(samples_db, path)
    findings = run_audit(path)
    conn = sqlite3.connect(path)
    docs = {name: doc_id(conn, issuer, year) for name, issuer, year in (
        ("beidaihe", "北戴河", 2021), ("qinghai", "青海", 2021), ("lianhu", "莲湖", 2024),
        ("lasa", "拉萨", None), ("lasa2022", "拉萨", 2022))}
    conn.close()
    return path, findings, docs


def findings_of(audited, doc: str, rule_id: str) -> list:
    _, findings, docs = audited
    return [f for f in findings if f.doc_id == docs[doc] and f.rule_id == rule_id]


def one_with(findings: list, *words: str):
    matching = [f for f in findings if all(w in f.message for w in words)]
    assert matching, (words, [f.message for f in findings])
    return matching[0]


def test_beidaihe_text_basic_expenditure_contradicts_its_table(audited):
    finding = one_with(findings_of(audited, "beidaihe", "R08"), "基本支出220.19万元", "201.45万元", "支出总表")
    assert finding.severity == "error" and finding.subject == "基本支出"
    assert {r["kind"] for r in finding.refs} == {"text", "item"}


def test_beidaihe_text_project_expenditure_contradicts_its_table(audited):
    finding = one_with(findings_of(audited, "beidaihe", "R08"), "项目支出1,229.79万元", "53.16万元")
    assert "所列11项合计53.16万元" in finding.message  # the listed projects agree with the table


def test_beidaihe_office_running_costs_written_in_yuan_not_wan(audited):
    finding = one_with(findings_of(audited, "beidaihe", "R13"), "机关运行经费8.34元", "合计8.34万元")
    assert finding.subject == "机关运行经费"
    assert not [f for f in findings_of(audited, "beidaihe", "R08") if f.subject == "机关运行经费"]


def test_qinghai_2080699_text_differs_from_table(audited):
    finding = one_with(findings_of(audited, "qinghai", "R08"), "1,719.74万元", "1,719.14万元", "相差0.60万元")
    assert "2080699" in finding.subject


def test_qinghai_change_and_rate_of_army_transfer_cadres_disagree(audited):
    finding = one_with(findings_of(audited, "qinghai", "R09"), "军队转业干部安置667.23万元", "减少29.45万元",
                       "下降0.43%", "696.68万元", "4.23%")
    assert len(finding.refs) == 3


def test_qinghai_rates_that_agree_after_rounding_are_not_findings(audited):
    # 公务接待费 1.25, −0.43, −25.6% and 机关运行经费 142.28, −6.85, −4.59% are right to the printed places
    subjects = {f.subject for f in findings_of(audited, "qinghai", "R09")}
    assert not subjects & {"公务接待费", "机关运行经费", "“三公”经费", "行政运行", "事业运行"}


def test_lianhu_3360_yuan_listed_as_education_but_counted_in_health(audited):
    finding = one_with(findings_of(audited, "lianhu", "R02"), "3,360.00元", "教育支出", "205", "表5",
                       "4,678,255.32元", "4,674,895.32元", "多3,360.00元")
    assert "表1" in finding.message and finding.subject == "教育支出"


def test_beidaihe_summary_prints_a_class_the_function_table_lacks(audited):
    one_with(findings_of(audited, "beidaihe", "R02"), "一般公共服务支出21.46万元", "201")


def test_qinghai_income_equals_expenditure(audited):
    assert findings_of(audited, "qinghai", "R01") == []


def test_qinghai_function_tables_add_up(audited):
    path, _, _ = audited
    conn = sqlite3.connect(path)
    function_items = {r[0] for r in conn.execute("SELECT item_id FROM line_items WHERE classification = 'function'")}
    conn.close()
    for finding in findings_of(audited, "qinghai", "R03"):
        assert not {r["id"] for r in finding.refs} & function_items, finding.message


def test_qinghai_economic_rounding_difference_is_only_information(audited):
    finding = one_with(findings_of(audited, "qinghai", "R03"), "302", "151.51万元", "151.52万元")
    assert finding.severity == "info" and "四舍五入" in finding.message


def test_lasa_basic_expenditure_equals_its_parts(audited):
    assert findings_of(audited, "lasa", "R05") == [] and findings_of(audited, "lasa", "R04") == []


def test_lasa_sangong_total_equals_its_items(audited):
    assert findings_of(audited, "lasa", "R06") == []


def test_lianhu_text_figures_agree_with_tables_in_yuan(audited):
    # 行政运行（2101501）215.39万元 is 2,153,894.44元 rounded; 绩效 sections state a part, not a total
    assert findings_of(audited, "lianhu", "R08") == []


def test_lianhu_catalogue_says_which_tables_are_empty_and_they_are(audited):
    assert findings_of(audited, "lianhu", "R14") == []


def test_performance_targets_alone_give_no_findings(audited):
    _, findings, docs = audited
    assert [f for f in findings if f.doc_id == docs["lasa2022"]] == []


def test_findings_are_stored_and_a_second_audit_replaces_them(audited):
    path, findings, _ = audited
    again = run_audit(path)
    conn = sqlite3.connect(path)
    stored = conn.execute("SELECT count(*) FROM findings").fetchone()[0]
    conn.close()
    assert stored == len(findings) == len(again)
    assert [(f.rule_id, f.message) for f in again] == [(f.rule_id, f.message) for f in findings]


def test_findings_for_reads_by_document_and_subject(audited):
    path, _, docs = audited
    conn = connect_readonly(path)
    qinghai = findings_for(conn, [docs["qinghai"]])
    assert qinghai and all(f.doc_id == docs["qinghai"] and f.finding_id for f in qinghai)
    by_code = findings_for(conn, [docs["qinghai"]], "2080699")
    assert [f.rule_id for f in by_code] == ["R08"]
    assert "R06" in {f.rule_id for f in findings_for(conn, [docs["qinghai"]], "三公经费")}
    assert findings_for(conn, [docs["beidaihe"]], "基本支出")[0].rule_id == "R08"
    assert findings_for(conn, [], "基本支出") == []
    conn.close()


def test_audit_command_prints_findings_per_document(audited):
    path, _, _ = audited
    result = CliRunner().invoke(audit_command, ["--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "《青海省医疗保障局2021年部门预算》" in result.output
    assert "错误  R09" in result.output and "未发现问题" in result.output


def test_audit_command_json_is_a_list_of_findings(audited):
    path, _, docs = audited
    result = CliRunner().invoke(audit_command, ["--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"doc_id", "rule_id", "severity", "subject", "message", "refs", "document"} <= set(rows[0])
    assert any(r["rule_id"] == "R13" and r["doc_id"] == docs["beidaihe"] for r in rows)


def test_audit_command_names_a_missing_database(tmp_path):
    result = CliRunner().invoke(audit_command, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "budgetqa ingest" in result.output


def test_every_rule_has_an_id_a_chinese_description_and_a_severity():
    assert sorted(RULES) == [f"R{n:02d}" for n in range(1, 30)]
    for rule in RULES.values():
        assert rule.severity in ("error", "warning", "info")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.description)


# ---- R01 -----------------------------------------------------------------------------------

def _summary(doc: Doc, income: str, spending: str, kind_total: str = "本年") -> int:
    t = doc.table("收支总表", "income_expenditure_summary")
    doc.item(t, 30, f"{kind_total}收入合计" if kind_total == "本年" else "收入总计", income, total=True, cls="income", side="收入")
    doc.item(t, 30, f"{kind_total}支出合计" if kind_total == "本年" else "支出总计", spending, total=True,
             cls="expenditure", side="支出")
    return t


def test_income_total_must_equal_expenditure_total(store):
    _summary(store.doc(), "100.00", "90.00")
    [finding] = store.audit("R01")
    assert "本年收入合计100.00万元" in finding.message and "本年支出合计90.00万元" in finding.message


def test_balanced_summary_has_no_r01_finding(store):
    _summary(store.doc(), "100.00", "100.00")
    assert store.audit("R01") == []


def test_final_accounts_balance_only_in_the_grand_totals(store):
    doc = store.doc(kind="决算")
    t = _summary(doc, "2,946.25", "2,940.05")
    doc.item(t, 35, "收入总计", "3,001.59", total=True, cls="income", side="收入")
    doc.item(t, 35, "支出总计", "3,001.59", total=True, cls="expenditure", side="支出")
    assert store.audit("R01") == []


# ---- R02 -----------------------------------------------------------------------------------

def _function_table(doc: Doc, health: str) -> None:
    t = doc.table("一般公共预算支出表", "expenditure")
    doc.item(t, 1, "卫生健康支出", health, code="210", level="类")


def test_summary_class_must_match_function_table(store):
    doc = store.doc()
    t = doc.table("收支总表", "income_expenditure_summary")
    doc.item(t, 10, "卫生健康支出", "120.00", cls="expenditure", side="支出")
    _function_table(doc, "100.00")
    [finding] = store.audit("R02")
    assert "120.00万元" in finding.message and "100.00万元" in finding.message


def test_summary_class_equal_to_function_table_is_no_finding(store):
    doc = store.doc()
    t = doc.table("收支总表", "income_expenditure_summary")
    doc.item(t, 10, "卫生健康支出", "100.00", cls="expenditure", side="支出")
    _function_table(doc, "100.00")
    assert store.audit("R02") == []


# ---- R03 -----------------------------------------------------------------------------------

def _tree(doc: Doc, parent: str, uncertain: bool = False) -> None:
    t = doc.table("一般公共预算支出表", "expenditure", unit="元")
    doc.item(t, 1, "社会保障和就业支出", parent, code="208", level="类", unit="元")
    doc.item(t, 2, "行政事业单位养老支出", "30.00", code="20805", parent="208", level="款", unit="元")
    doc.item(t, 3, "企业改革补助", "10.00", code="20806", parent="208", level="款", unit="元", uncertain=uncertain)


def test_parent_row_must_equal_sum_of_children(store):
    _tree(store.doc(), "50.00")
    [finding] = store.audit("R03")
    assert finding.severity == "error" and "50.00元" in finding.message and "40.00元" in finding.message


def test_parent_row_equal_to_sum_of_children_is_no_finding(store):
    _tree(store.doc(), "40.00")
    assert store.audit("R03") == []


def test_uncertain_children_are_not_summed(store):
    _tree(store.doc(), "50.00", uncertain=True)
    assert store.audit("R03") == []


# ---- R04 / R05 -----------------------------------------------------------------------------

def _row(doc: Doc, kind: str, **amounts: str) -> None:
    t = doc.table("支出表", kind)
    for measure, amount in amounts.items():
        doc.item(t, 1, "行政运行", amount, measure={"total": "合计", "basic": "基本支出", "project": "项目支出",
                                                    "personnel": "人员经费", "public": "公用经费"}[measure],
                 code="2101501", level="项")


def test_total_must_equal_basic_plus_project(store):
    _row(store.doc(), "expenditure", total="100.00", basic="60.00", project="30.00")
    [finding] = store.audit("R04")
    assert "100.00万元" in finding.message and "90.00万元" in finding.message


def test_total_equal_to_basic_plus_project_is_no_finding(store):
    _row(store.doc(), "expenditure", total="100.00", basic="70.00", project="30.00")
    assert store.audit("R04") == []


def test_total_counts_personnel_and_public_as_basic_when_basic_is_not_printed(store):
    _row(store.doc(), "expenditure", total="100.00", personnel="50.00", public="20.00", project="30.00")
    assert store.audit("R04") == []


def test_basic_must_equal_personnel_plus_public(store):
    _row(store.doc(), "expenditure", total="90.00", basic="60.00", project="30.00", personnel="40.00", public="10.00")
    [finding] = store.audit("R05")
    assert "60.00万元" in finding.message and "50.00万元" in finding.message


def test_basic_table_total_equal_to_personnel_plus_public_is_no_finding(store):
    _row(store.doc(), "basic_expenditure", total="50.00", personnel="40.00", public="10.00")
    assert store.audit("R05") == []


# ---- R06 -----------------------------------------------------------------------------------

def _sangong(doc: Doc, total: str) -> None:
    t = doc.table("“三公”经费支出表", "sangong")
    for name, amount in (("“三公”经费合计", total), ("因公出国（境）费", "2.00"), ("公务用车购置及运行费", "5.00"),
                         ("公务用车购置费", "3.00"), ("公务用车运行费", "2.00"), ("公务接待费", "2.00")):
        doc.item(t, 1, name, amount, cls="sangong")


def test_sangong_total_must_equal_its_items(store):
    _sangong(store.doc(), "10.00")
    [finding] = store.audit("R06")
    assert "“三公”经费10.00万元" in finding.message and "9.00万元" in finding.message


def test_sangong_total_equal_to_its_items_is_no_finding(store):
    _sangong(store.doc(), "9.00")
    assert store.audit("R06") == []


def test_sangong_in_text_must_add_up(store):
    doc = store.doc()
    doc.text("“三公”经费预算安排3.25万元", ("“三公”经费", "amount", "3.25"), section="四、“三公”经费")
    doc.text("其中：因公出国（境）费0万元", ("因公出国（境）费", "amount", "0"), section="四、“三公”经费")
    doc.text("公务用车购置及运行维护费1.25万元", ("公务用车购置及运行维护费", "amount", "1.25"), section="四、“三公”经费")
    doc.text("公务接待费1万元", ("公务接待费", "amount", "1"), section="四、“三公”经费")
    [finding] = store.audit("R06")
    assert "3.25万元" in finding.message and "合计2.25万元" in finding.message


# ---- R07 -----------------------------------------------------------------------------------

def test_one_code_with_two_amounts_in_two_tables(store):
    doc = store.doc()
    for title, amount in (("支出总表", "100.00"), ("一般公共预算支出表", "90.00")):
        doc.item(doc.table(title, "expenditure"), 1, "行政运行", amount, code="2101501", level="项")
    [finding] = store.audit("R07")
    assert "2101501" in finding.subject and "100.00万元" in finding.message and "90.00万元" in finding.message


def test_basic_table_total_is_compared_with_the_basic_part_only(store):
    doc = store.doc()
    t = doc.table("一般公共预算支出表", "expenditure")
    doc.item(t, 1, "行政运行", "100.00", code="2101501", level="项")
    doc.item(t, 1, "行政运行", "60.00", measure="人员经费", code="2101501", level="项")
    doc.item(t, 1, "行政运行", "10.00", measure="公用经费", code="2101501", level="项")
    doc.item(t, 1, "行政运行", "30.00", measure="项目支出", code="2101501", level="项")
    doc.item(doc.table("一般公共预算基本支出表", "basic_expenditure"), 1, "行政运行", "70.00", code="2101501", level="项")
    assert store.audit("R07") == []


# ---- R08 / R13 -----------------------------------------------------------------------------

def _totals(doc: Doc, basic: str = "201.45") -> None:
    t = doc.table("支出总表", "expenditure")
    doc.item(t, 1, "合计", "254.61", total=True)
    doc.item(t, 1, "合计", basic, measure="基本支出", total=True)
    doc.item(t, 1, "合计", "53.16", measure="项目支出", total=True)
    doc.item(t, 2, "行政运行", "906.70", code="2101501", level="项")


def test_text_total_must_match_table_total(store):
    doc = store.doc()
    _totals(doc)
    doc.text("其中：基本支出220.19万元", ("基本支出", "amount", "220.19"))
    [finding] = store.audit("R08")
    assert "基本支出220.19万元" in finding.message and "201.45万元" in finding.message


def test_text_total_equal_to_table_total_is_no_finding(store):
    doc = store.doc()
    _totals(doc)
    doc.text("其中：基本支出201.45万元", ("基本支出", "amount", "201.45"))
    doc.text("行政运行（2101501）906.7万元", ("行政运行", "amount", "906.7", "万元", "2101501"))
    assert store.audit("R08") == [] and store.audit("R13") == []


def test_text_amount_ten_thousand_times_off_its_row_is_a_unit_slip(store):
    doc = store.doc()
    _totals(doc)
    doc.text("行政运行（2101501）906.70元", ("行政运行", "amount", "906.70", "元", "2101501"))
    [finding] = store.audit("R13")
    assert "906.70元" in finding.message and "906.70万元" in finding.message
    assert store.audit("R08") == []


def test_text_total_in_yuan_whose_items_add_up_in_wan(store):
    doc = store.doc()
    doc.text("机关运行经费共计安排8.34元", ("机关运行经费", "amount", "8.34", "元"), section="三、机关运行经费")
    doc.text("其中：办公费3.83万元、邮电费4.51万元", ("办公费", "amount", "3.83"), ("邮电费", "amount", "4.51"),
             section="三、机关运行经费")
    doc._line -= 1  # both sentences belong to one paragraph
    store.conn.execute("UPDATE text_figures SET line = 1")
    [finding] = store.audit("R13")
    assert "8.34元" in finding.message and "合计8.34万元" in finding.message


def test_office_running_costs_must_equal_their_items(store):
    doc = store.doc()
    doc.text("机关运行经费9.00万元，其中：办公费3.83万元、邮电费4.51万元",
             ("机关运行经费", "amount", "9.00"), ("办公费", "amount", "3.83"), ("邮电费", "amount", "4.51"))
    [finding] = store.audit("R08")
    assert "9.00万元" in finding.message and "合计8.34万元" in finding.message


# ---- R09 -----------------------------------------------------------------------------------

def _change(doc: Doc, percent: str) -> None:
    doc.text(f"军队转业干部安置2021年预算数为667.23万元，比上年减少29.45万元，下降{percent}%，主要是人数增加",
             ("军队转业干部安置", "amount", "667.23"), ("军队转业干部安置", "change", "-29.45"),
             ("军队转业干部安置", "percent", f"-{percent}"))


def test_change_and_rate_must_agree_with_the_amount(store):
    _change(store.doc(), "0.43")
    [finding] = store.audit("R09")
    assert "4.23%" in finding.message


def test_change_and_rate_that_agree_are_no_finding(store):
    _change(store.doc(), "4.23")
    assert store.audit("R09") == []


def test_change_must_agree_with_the_tables_previous_year(store):
    doc = store.doc()
    t = doc.table("一般公共预算支出表", "expenditure")
    doc.item(t, 1, "行政运行", "100.00", code="2101501", level="项")
    doc.item(t, 1, "行政运行", "95.00", measure="上年预算数", code="2101501", level="项")
    doc.text("行政运行（2101501）100万元，比上年增加10万元，主要是人员增加",
             ("行政运行", "amount", "100", "万元", "2101501"), ("行政运行", "change", "10", "万元", "2101501"))
    [finding] = store.audit("R09")
    assert "上年90.00万元" in finding.message and "95.00万元" in finding.message


def test_income_and_expenditure_of_one_total_cannot_grow_differently(store):
    doc = store.doc(year=2025)
    doc.text("财政拨款收入37,151.47万元，比2024年预算执行数增加24,558.18万元",
             ("财政拨款收入", "amount", "37151.47"), ("财政拨款收入", "change", "24558.18", "万元", None, "2024年"))
    doc.text("财政拨款支出预算37,151.47万元，比2024年预算增加24,491.71万元",
             ("财政拨款支出预算", "amount", "37151.47"), ("财政拨款支出预算", "change", "24491.71", "万元", None, "2024年"))
    [finding] = store.audit("R09")
    assert "24,558.18万元" in finding.message and "24,491.71万元" in finding.message


# ---- R10 -----------------------------------------------------------------------------------

def _share(doc: Doc, share: str) -> None:
    doc.text("支出预算29,331.60万元，其中：", ("支出预算", "amount", "29331.60"))
    doc.text(f"基本支出4,777.6万元，占{share}%", ("基本支出", "amount", "4777.6"), ("基本支出", "share", share))


def test_stated_share_must_match_the_amounts(store):
    _share(store.doc(), "20.00")
    [finding] = store.audit("R10")
    assert "16.29%" in finding.message


def test_stated_share_that_matches_is_no_finding(store):
    _share(store.doc(), "16.29")
    assert store.audit("R10") == []


# ---- R11 / R12 -----------------------------------------------------------------------------

def test_change_against_a_year_other_than_last_year(store):
    store.doc(year=2021).text("行政运行比2019年增加10万元，主要是人员增加",
                              ("行政运行", "change", "10", "万元", None, "2019年"))
    [finding] = store.audit("R11")
    assert finding.severity == "warning" and "2019年" in finding.message


def test_change_against_last_year_by_number_is_no_finding(store):
    store.doc(year=2021).text("2021年行政运行比2020年增加10万元，主要是人员增加",
                              ("行政运行", "change", "10", "万元", None, "2020年"))
    assert store.audit("R11") == []


def test_change_without_a_reason_is_information(store):
    store.doc().text("机关运行经费比上年预算减少6.85万元，下降4.59%",
                     ("机关运行经费", "change", "-6.85"), ("机关运行经费", "percent", "-4.59"))
    [finding] = store.audit("R12")
    assert finding.severity == "info" and finding.subject == "机关运行经费"


def test_change_with_its_reason_is_no_finding(store):
    doc = store.doc()
    doc.text("行政运行较上年增加71.74万元，增长的主要原因是：单位新增人员", ("行政运行", "change", "71.74"))
    doc.text("“三公”经费与上年持平", ("“三公”经费", "change", "0"))
    assert store.audit("R12") == []


# ---- R14 -----------------------------------------------------------------------------------

def _sangong_table(doc: Doc, note: str | None) -> None:
    t = doc.table("部门“三公”经费预算表", "sangong", note=note)
    doc.item(t, 1, "“三公”经费合计", "47.91", cls="sangong")


def test_table_declared_empty_must_not_print_figures(store):
    _sangong_table(store.doc(), "注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。")
    [finding] = store.audit("R14")
    assert "空表" in finding.message and "47.91万元" in finding.message


def test_table_with_figures_and_no_empty_note_is_no_finding(store):
    _sangong_table(store.doc(), None)
    assert store.audit("R14") == []


def test_catalogue_declares_a_table_empty(store):
    doc = store.doc()
    doc.table("报表目录", "other", is_empty=True, columns=("报表", "报表名称", "是否空表", "表格为空的理由"),
              rows=(("表9", "部门综合预算政府性基金收支表", "是", "不涉及"), ("表1", "部门综合预算收支总表", "", "")))
    t = doc.table("表9 部门综合预算政府性基金收支表", "government_fund")
    doc.item(t, 1, "合计", "5.00", total=True)
    [finding] = store.audit("R14")
    assert "报表目录" in finding.message


# ---- R15 -----------------------------------------------------------------------------------

def _final(doc: Doc, rate: str) -> None:
    t = doc.table("一般公共预算财政拨款支出决算表", "expenditure")
    doc.item(t, 1, "一般公共服务支出", "3,085.00", measure="全年预算数", code="201", level="类")
    doc.item(t, 1, "一般公共服务支出", "2,940.05", measure="决算数", code="201", level="类")
    doc.text(f"一般公共服务支出决算为2,940.05万元，完成全年预算的{rate}%",
             ("一般公共服务支出决算", "amount", "2940.05"), ("完成全年预算的", "percent", rate, "%"))


def test_completion_rate_must_equal_final_over_full_year_budget(store):
    _final(store.doc(year=2024, kind="决算"), "90.00")
    [finding] = store.audit("R15")
    assert "95.30%" in finding.message and "3,085.00万元" in finding.message


def test_completion_rate_that_matches_is_no_finding(store):
    _final(store.doc(year=2024, kind="决算"), "95.30")
    assert store.audit("R15") == []


def test_budget_stated_next_to_a_completion_rate_must_match_its_column(store):
    doc = store.doc(year=2024, kind="决算")
    t = doc.table("支出决算表", "expenditure")
    doc.item(t, 1, "一般公共服务支出", "3,085.00", measure="全年预算数", code="201", level="类")
    doc.text("一般公共服务支出决算为2,940.05万元，全年预算为3,000.00万元，完成全年预算的98.00%",
             ("一般公共服务支出决算", "amount", "2940.05"), ("全年", "amount", "3000.00"),
             ("完成全年预算的", "percent", "98.00", "%"))
    [finding] = store.audit("R15")
    assert "3,000万元" in finding.message or "3,000.00万元" in finding.message


# ---- the real PDFs -------------------------------------------------------------------------

REAL = SHARED / "real"


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    if not REAL.is_dir():
        pytest.skip("the real PDFs are not here")
    pytest.importorskip("ingest.readers.pdf_reader", reason="the PDF reader is not written yet")
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("real") / "real.db"
    files = [REAL / "putuo-shangwuwei-2025-dept-budget.pdf", REAL / "putuo-wanli-jiedao-2024-dept-budget.pdf",
             REAL / "putuo-caizhengju-2024-final-accounts.pdf"]
    report = ingest_paths(files, path)
    if report.failed:
        pytest.skip(f"the PDF reader could not read them: {[r.message for r in report.failed]}")
    return path, run_audit(path)


def _doc_of(path: Path, issuer_part: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT doc_id FROM documents WHERE issuer LIKE ?", (f"%{issuer_part}%",)).fetchone()[0]
    finally:
        conn.close()


def test_commerce_commission_states_two_increases_for_one_total(real_db):
    path, findings = real_db
    doc = _doc_of(path, "商务委员会")
    one_with([f for f in findings if f.doc_id == doc and f.rule_id == "R09"], "24,558.18万元", "24,491.71万元")


def test_wanli_sangong_table_is_filled_and_declared_empty(real_db):
    path, findings = real_db
    doc = _doc_of(path, "万里街道")
    one_with([f for f in findings if f.doc_id == doc and f.rule_id == "R14"], "空表", "三公")


def test_wanli_economic_parents_add_up_once_one_digit_kuan_codes_are_read(real_db):
    # The table prints 津贴补贴 as "301 2": read as 30102, 工资福利支出 equals its children.
    path, findings = real_db
    doc = _doc_of(path, "万里街道")
    assert not [f for f in findings if f.doc_id == doc and f.rule_id == "R03"]


def test_final_accounts_item_sentences_are_checked_against_their_own_rows(real_db):
    # "年初预算为1560.05万元，支出决算为1511.89万元" is about 行政运行, not the document total.
    path, findings = real_db
    doc = _doc_of(path, "财政局")
    wrong = [f for f in findings if f.doc_id == doc and f.rule_id in ("R08", "R15") and "2,940.05万元" in f.message]
    assert not wrong, [f.message for f in wrong]
    one_with([f for f in findings if f.doc_id == doc and f.rule_id == "R10"], "71.73%", "71.65%")


def test_final_accounts_grand_total_stated_wrongly_in_the_text(real_db):
    # The text: 财政拨款收入支出总计0.3万元; the 财政拨款收入支出决算总表 prints 总计 2,961.68万元.
    # 0.3 only rounds like 2,961.68 ÷ 10,000, which is no unit slip; 收入支出总计2995.39万元 agrees.
    path, findings = real_db
    doc = _doc_of(path, "财政局")
    mine = [f for f in findings if f.doc_id == doc]
    one_with([f for f in mine if f.rule_id == "R08"], "0.3万元", "2,961.68万元", "总计")
    assert not [f for f in mine if f.rule_id == "R13"]
    assert not [f for f in mine if "2,995.39" in f.message]

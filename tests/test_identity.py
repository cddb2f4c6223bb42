"""Whose budget, which year, what kind: one recogniser over every cue a document offers.

The same budget printed in the variants publishers use (a cover page, '部门：X 单位：万元' lines
on each table, numbered titles, tables and text in two files, no name at all) must load under
the same identity with the same figures."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fixtures_build import BUDGET, FONT, HEADING, ISSUER, PARAGRAPH, _canvas, _draw_table, _wrap
from ingest.recognise.identity import UNKNOWN_ISSUER, org_name, recognise_identity
from ingest.model import Paragraph, ParsedDocument, RawTable


# --- names --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("西南大学", "西南大学"),
    ("中共江苏省委办公厅", "中共江苏省委办公厅"),
    ("江苏省高级人民法院", "江苏省高级人民法院"),
    ("上海市普陀区委社会工作部", "上海市普陀区委社会工作部"),
    ("部门：上海市普陀区规划和自然资源局", "上海市普陀区规划和自然资源局"),
    ("450001秦皇岛市北戴河区医疗保障局（本级）", "秦皇岛市北戴河区医疗保障局（本级）"),
    ("部门名称 拉萨市医疗保障局", "拉萨市医疗保障局"),
])
def test_an_organisation_name_is_read_as_printed(text, name):
    assert org_name(text) == name


@pytest.mark.parametrize("text", [
    "单位：万元", "对省人民代表大会及其常务委员会", "功能科目名称", "2021年度部门预算", "项目支出",
    "收入预算总表", "负责全省档案管理工作",
])
def test_a_unit_a_header_or_a_phrase_is_no_name(text):
    assert org_name(text) is None


def _doc(heading=(), context=(), paragraphs=(), tables=(), name="budget.pdf", cover=False) -> ParsedDocument:
    return ParsedDocument(name, "test", list(tables), [Paragraph(p) for p in paragraphs],
                          heading_lines=list(heading), context_lines=list(context), has_cover=cover)


def test_the_full_name_in_the_table_header_wins_over_a_short_form():
    doc = _doc(context=["部门：上海市普陀区规划和自然资源局 单位：万元"] * 3,
               paragraphs=["资源局是负责本区规划和自然资源管理的部门。"])
    assert recognise_identity(doc).issuer == "上海市普陀区规划和自然资源局"


def test_a_body_the_text_mentions_is_not_the_issuer():
    doc = _doc(heading=["西南大学", "2021 年度部门预算"], cover=True,
               paragraphs=["西南大学是教育部直属的重点综合大学。", "根据教育部要求编制本预算。"])
    identity = recognise_identity(doc)
    assert (identity.issuer, identity.year, identity.kind, identity.scope) == ("西南大学", 2021, "预算", "部门")
    assert identity.decided_by["issuer"] == "cover"


def test_no_cue_means_issuer_unknown_never_a_guess():
    table = RawTable("收支预算总表", ["项目", "金额"], [["一、财政拨款", "1.00"]], unit="万元")
    identity = recognise_identity(_doc(tables=[table], name="download(3).pdf"))
    assert identity.issuer == UNKNOWN_ISSUER and not identity.issuer_known
    assert any("--issuer" in note for note in identity.uncertain)


def test_what_the_user_states_wins():
    doc = _doc(heading=["某某区医疗保障局2025年部门预算"])
    identity = recognise_identity(doc, {"issuer": "某某区财政局", "year": 2024, "kind": "决算"})
    assert (identity.issuer, identity.year, identity.kind) == ("某某区财政局", 2024, "决算")
    assert identity.decided_by["issuer"] == "user"


def test_a_final_accounts_table_title_says_juesuan_by_its_last_word():
    tables = [RawTable("一般公共预算财政拨款支出决算表", ["项目", "决算数"], [], unit="万元")]
    assert recognise_identity(_doc(tables=tables)).kind == "决算"


def test_chinese_numeral_year_on_a_cover():
    doc = _doc(heading=["某某县教育局", "二〇二一年部门预算"], cover=True)
    assert recognise_identity(doc).year == 2021


# --- the same budget printed in publishers' variants ------------------------------------------

def _table_page(c, with_org_line: bool, number: str | None = None, title: str | None = None) -> None:
    table = BUDGET if title is None else type(BUDGET)(title=title)
    y = 540
    if number:
        c.setFont(FONT, 10)
        c.drawString(60, y + 22, number)
    if with_org_line:
        _draw_table(c, table, table.rows, y, ruled=True)
    else:  # title only, then the table: the issuer is not printed on the page
        c.setFont(FONT, 16)
        c.drawCentredString(421, y, table.title)
        c.setFont(FONT, 10)
        c.drawRightString(720, y - 24, table.unit_line)
        _draw_table(c, table, table.rows, y - 32, ruled=True, with_title=False)
    c.showPage()


def _text_page(c, title: bool = True) -> None:
    y = 540
    if title:
        c.setFont(FONT, 20)
        c.drawCentredString(421, y, f"{ISSUER}2025年部门预算情况说明")
        y -= 40
    c.setFont(FONT, 12)
    c.drawString(60, y, HEADING)
    y -= 20
    for k, part in enumerate(_wrap(PARAGRAPH, 58)):
        c.drawString(84 if k == 0 else 60, y, part)
        y -= 17
    c.showPage()


def print_with_cover(path: Path) -> Path:
    c = _canvas(path)
    c.setFont(FONT, 26)
    c.drawCentredString(421, 400, ISSUER)
    c.drawCentredString(421, 360, "2025 年度部门预算")
    c.showPage()
    _text_page(c, title=False)
    _table_page(c, with_org_line=False)
    c.save()
    return path


def print_with_header_lines(path: Path) -> Path:
    """No title or cover: the issuer only in each table's 编制部门 line (a tables-only file)."""
    c = _canvas(path)
    _table_page(c, with_org_line=True, number="公开01表", title="2025年部门支出预算总表（功能科目）")
    c.save()
    return path


def print_text_only(path: Path) -> Path:
    c = _canvas(path)
    _text_page(c)
    c.save()
    return path


def print_without_a_name(path: Path) -> Path:
    c = _canvas(path)
    _table_page(c, with_org_line=False)
    c.save()
    return path


def _ingest(paths, tmp_path: Path, **overrides):
    from ingest.pipeline import ingest_paths

    store = tmp_path / "variants.db"
    report = ingest_paths(paths, store, overrides=overrides or None)
    assert not report.failed, [r.message for r in report.failed]
    return sqlite3.connect(store)


def _items(conn) -> set[tuple]:
    return set(conn.execute("SELECT coalesce(code, ''), name, measure, amount_fen FROM line_items"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    from fixtures_build import make_ruled_pdf
    tmp = tmp_path_factory.mktemp("reference")
    return _items(_ingest([make_ruled_pdf(tmp / "reference.pdf")], tmp))


@pytest.mark.parametrize("printer, decided_by", [
    (print_with_cover, "cover"),
    (print_with_header_lines, "table_header"),
])
def test_each_variant_loads_under_the_same_identity_with_the_same_figures(tmp_path, reference, printer, decided_by):
    conn = _ingest([printer(tmp_path / "variant.pdf")], tmp_path)
    issuer, year, kind, identity = conn.execute("SELECT issuer, year, kind, identity_json FROM documents").fetchone()
    assert (issuer, year, kind) == (ISSUER, 2025, "预算")
    assert f'"issuer": "{decided_by}"' in identity
    assert _items(conn) == reference


def test_tables_file_and_text_file_are_one_budget(tmp_path, reference):
    conn = _ingest([print_with_header_lines(tmp_path / "tables.pdf"), print_text_only(tmp_path / "text.pdf")], tmp_path)
    docs = conn.execute("SELECT issuer, year, part, title FROM documents ORDER BY part").fetchall()
    assert docs == [(ISSUER, 2025, "tables", f"{ISSUER}2025年部门预算"),
                    (ISSUER, 2025, "text", f"{ISSUER}2025年部门预算（情况说明）")]
    assert _items(conn) == reference
    figures = conn.execute("SELECT subject, value FROM text_figures WHERE kind = 'amount'").fetchall()
    assert ("基本支出", "1200.00") in figures


def test_a_text_only_budget_answers_from_its_sentences(tmp_path):
    from assistant.engine import Assistant

    _ingest([print_text_only(tmp_path / "text.pdf")], tmp_path)
    answer = Assistant(tmp_path / "variants.db").ask(f"{ISSUER}2025年基本支出是多少？")
    assert answer.status == "answered" and [str(f.value) for f in answer.figures] == ["1200"]
    assert answer.figures[0].source.section == HEADING


def test_a_file_with_no_name_loads_as_issuer_unknown_and_can_be_named(tmp_path, reference):
    conn = _ingest([print_without_a_name(tmp_path / "noname.pdf")], tmp_path)
    assert conn.execute("SELECT issuer FROM documents").fetchone() == (UNKNOWN_ISSUER,)
    named = _ingest([print_without_a_name(tmp_path / "named.pdf")], tmp_path / "..", issuer=ISSUER, year=2025)
    assert named.execute("SELECT issuer, year FROM documents WHERE source_file LIKE '%named.pdf'").fetchone() == (ISSUER, 2025)


# --- every published file and bundled sample ----------------------------------------------

CORPUS_AND_REAL = [
    ("real/putuo-caizhengju-2024-final-accounts.pdf", "上海市普陀区财政局", 2024, "决算", "部门"),
    ("real/putuo-qzfban-2025-dept-budget.pdf", "上海市普陀区人民政府办公室", 2025, "预算", "部门"),
    ("real/putuo-qzfban-2025-unit-budget.pdf", "上海市普陀区人民政府办公室", 2025, "预算", "单位"),
    ("real/putuo-shangwuwei-2025-dept-budget.pdf", "上海市普陀区商务委员会", 2025, "预算", "部门"),
    ("real/putuo-wanli-jiedao-2024-dept-budget.pdf", "上海市普陀区人民政府万里街道办事处", 2024, "预算", "部门"),
    ("real2/central-swu-2021-dept-budget.pdf", "西南大学", 2021, "预算", "部门"),
    ("real2/jiangsu-gaoyuan-2019-dept-budget.pdf", "江苏省高级人民法院", 2019, "预算", "部门"),
    ("real2/jiangsu-shengweibangongting-2019-dept-budget-tables.pdf", "中共江苏省委办公厅", 2019, "预算", "部门"),
    ("real2/jiangsu-shengweibangongting-2019-dept-budget-narrative.pdf", "江苏省委办公厅", 2019, "预算", "部门"),
    ("corpus/000_a0ab0173c6f6b489.txt", None, None, None, None),
]


@pytest.mark.parametrize("relative, issuer, year, kind, scope", CORPUS_AND_REAL)
def test_published_files_are_read_under_their_own_identity(relative, issuer, year, kind, scope):
    from conftest import SHARED
    from ingest.pipeline import read_any

    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is not present")
    identity = recognise_identity(read_any(path))
    assert identity.issuer_known and identity.kind in ("预算", "决算")
    if issuer:
        assert (identity.issuer, identity.year, identity.kind, identity.scope) == (issuer, year, kind, scope)


@pytest.mark.parametrize("sample, issuer, year, scope", [
    ("beidaihe-2021-budget.txt", "秦皇岛市北戴河区医疗保障局（本级）", 2021, "单位"),
    ("lasa-2022-performance-targets.txt", "拉萨市医疗保障局", 2022, "部门"),
    ("lasa-budget-year-unstated.txt", "拉萨市医疗保障局", None, "部门"),
    ("lianhu-2024-budget.txt", "西安市莲湖区医疗保障局（汇总）", 2024, "部门"),
    ("qinghai-2021-budget.txt", "青海省医疗保障局", 2021, "部门"),
])
def test_bundled_samples_are_read_under_their_own_identity(sample, issuer, year, scope):
    from conftest import SAMPLES
    from ingest.pipeline import read_any

    identity = recognise_identity(read_any(SAMPLES / sample))
    assert (identity.issuer, identity.year, identity.kind, identity.scope) == (issuer, year, "预算", scope)


def test_every_corpus_file_has_a_known_issuer():
    from conftest import SHARED
    from ingest.pipeline import read_any

    corpus = sorted((SHARED / "corpus").glob("*.txt"))
    if not corpus:
        pytest.skip("../shared/corpus is not present")
    assert all(recognise_identity(read_any(p)).issuer_known for p in corpus)

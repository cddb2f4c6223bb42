"""Exports hold everything the page shows: every figure with its value, unit, source, page and
line, every warning, the cited documents' findings, statuses in Chinese. Each export is read
back and searched."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import datetime

import pytest

from assistant import transcript
from assistant.answer import Exchange
from assistant.present import md


QUESTIONS = ("莲湖区医疗保障局2024年行政运行是多少", "青海省医疗保障局2021年住房公积金",
             "哪个单位的机关运行经费最多？", "青海省医疗保障局2030年住房公积金是多少")


@pytest.fixture(scope="module")
def exchanges(assistant):
    history: list[Exchange] = []
    for question in QUESTIONS:
        history.append(Exchange(question, assistant.ask(question, history), datetime(2026, 11, 22, 9, 30)))
    return history


@pytest.fixture(scope="module")
def findings(assistant, exchanges):
    return transcript.cited_findings(assistant.conn, exchanges)


def _figures(exchanges):
    return [f for ex in exchanges for f in ex.answer.figures]


def test_the_conversation_has_warnings_text_figures_and_no_data(exchanges, findings):
    assert any(ex.answer.warnings for ex in exchanges)
    assert any(f.source.section for f in _figures(exchanges))
    assert exchanges[-1].answer.status == "no_data"
    assert findings and {f.severity for f in findings} >= {"error", "info"}


def _unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_markdown_reads_back_every_figure_source_place_and_warning(exchanges, findings):
    text = _unescape_md(transcript.to_markdown(exchanges, findings))
    for f in _figures(exchanges):
        assert transcript.shown_value(f) in text and f.source.cite() in text and transcript.location(f) in text
    for ex in exchanges:
        for warning in ex.answer.warnings:
            assert f"注意：{warning}" in text
        assert f"状态：{'已回答' if ex.answer.status == 'answered' else '数据中没有'}" in text
    for f in findings:
        assert f.message in text
    assert "answered" not in text


def test_json_reads_back_every_figure_with_page_row_and_line(exchanges, findings):
    data = json.loads(transcript.to_json(exchanges, findings))
    items = data["exchanges"]
    assert [i["question"] for i in items] == list(QUESTIONS)
    assert items[0]["asked_at"].startswith("2026-11-22T09:30") and items[0]["status_text"] == "已回答"
    for item, ex in zip(items, exchanges):
        assert item["warnings"] == ex.answer.warnings
        for got, f in zip(item["figures"], ex.answer.figures):
            assert got["source"]["document"] == f.source.document
            assert (got["source"]["page"], got["source"]["row"], got["source"]["line"]) == \
                (f.source.page, f.source.row, f.source.line)
    text_figure = next(g for i in items for g in i["figures"] if g["source"]["section"])
    assert text_figure["source"]["line"]  # a figure of the text keeps its line
    assert {f["message"] for f in data["findings"]} == {f.message for f in findings}
    assert {f["severity_text"] for f in data["findings"]} >= {"错误", "提示"}


def test_csv_reads_back_every_figure_warning_and_finding(exchanges, findings):
    rows = list(csv.DictReader(io.StringIO(transcript.to_csv(exchanges, findings))))
    figure_rows = [r for r in rows if r["record"] == "数字"]
    assert len(figure_rows) == len(_figures(exchanges))
    for r, f in zip(figure_rows, _figures(exchanges)):
        assert r["value"] == format(f.value, "f") and r["unit"] == f.unit and r["document"] == f.source.document
        assert r["line"] == str(f.source.line or "") and r["page"] == str(f.source.page or "")
    contested = next(ex for ex in exchanges if ex.answer.warnings)
    assert all(r["warnings"] == "；".join(contested.answer.warnings)
               for r in figure_rows if r["question"] == contested.question)
    no_data = [r for r in rows if r["record"] == "回答"]
    assert len(no_data) == 1 and no_data[0]["status"] == "数据中没有" and no_data[0]["answer"]
    assert {r["answer"] for r in rows if r["record"] == "一致性检查"} == {f.message for f in findings}
    assert {r["status"] for r in figure_rows} == {"已回答"}


def test_csv_download_opens_in_excel(exchanges, findings):
    data = transcript.to_csv_for_excel(exchanges, findings)
    assert data.startswith("\ufeff".encode()) and data.decode("utf-8-sig") == transcript.to_csv(exchanges, findings)


def test_html_reads_back_every_figure_and_warning_and_is_printable(exchanges, findings):
    page = transcript.to_html(exchanges, findings)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for f in _figures(exchanges):
        assert transcript.shown_value(f) in text and f.source.cite() in text and transcript.location(f) in text
    for ex in exchanges:
        for warning in ex.answer.warnings:
            assert warning in text
    for f in findings:
        assert f.message in text
    assert "@media print" in page and "状态：已回答" in text and "状态：数据中没有" in text


def test_text_from_documents_cannot_inject_markup(assistant):
    from assistant.answer import Answer, Figure, Source
    from decimal import Decimal

    evil = "![x](http://127.0.0.1:9/p.png)<script>alert(1)</script>"
    answer = Answer("answered", evil, [Figure(Decimal(1), "万元", evil, Source(evil, table=evil, row=1))],
                    warnings=[evil])
    ex = [Exchange(evil, answer)]
    assert "<script" not in transcript.to_html(ex)
    assert "![x](" not in transcript.to_markdown(ex) and md(evil) in transcript.to_markdown(ex)


def test_file_names_carry_the_date():
    when = datetime(2026, 11, 22)
    assert transcript.export_filename("markdown", when) == "budgetqa-transcript-2026-11-22.md"
    assert transcript.export_filename("csv", when).endswith("2026-11-22.csv")

"""Transcript exports hold every figure with its exact value and its source."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from assistant import transcript
from assistant.answer import Exchange


@pytest.fixture(scope="module")
def exchanges(assistant):
    history: list[Exchange] = []
    for question in ("莲湖区医疗保障局2024年行政运行是多少", "青海省医疗保障局2021年住房公积金"):
        history.append(Exchange(question, assistant.ask(question, history), datetime(2026, 11, 22, 9, 30)))
    return history


def test_markdown_has_figures_sources_and_sql(exchanges):
    text = transcript.to_markdown(exchanges)
    assert "2,153,894.44元" in text and "87.86万元" in text
    assert "《西安市莲湖区医疗保障局（汇总）2024年部门预算》" in text and "```sql" in text


def test_json_is_the_chat_protocol_plus_question_and_time(exchanges):
    items = json.loads(transcript.to_json(exchanges))
    assert items[0]["question"] == "莲湖区医疗保障局2024年行政运行是多少"
    assert items[0]["asked_at"].startswith("2026-11-22T09:30")
    assert {"status", "answer", "figures", "sql", "columns", "rows", "warnings"} <= set(items[0])
    assert any(f["value"] == 2153894.44 and f["unit"] == "元" for f in items[0]["figures"])


def test_csv_has_one_row_per_figure_with_exact_values(exchanges):
    rows = list(csv.DictReader(io.StringIO(transcript.to_csv(exchanges))))
    assert {"215.389444", "2153894.44", "87.86"} <= {r["value"] for r in rows}
    qinghai = next(r for r in rows if r["value"] == "87.86")
    assert qinghai["document"] == "青海省医疗保障局2021年部门预算" and qinghai["table"] and qinghai["row"]


def test_csv_download_opens_in_excel(exchanges):
    data = transcript.to_csv_for_excel(exchanges)
    assert data.startswith("\ufeff".encode()) and data.decode("utf-8-sig") == transcript.to_csv(exchanges)


def test_html_is_escaped_and_printable(exchanges):
    page = transcript.to_html(exchanges)
    assert "@media print" in page and "87.86万元" in page and "<script" not in page


def test_file_names_carry_the_date():
    when = datetime(2026, 11, 22)
    assert transcript.export_filename("markdown", when) == "budgetqa-transcript-2026-11-22.md"
    assert transcript.export_filename("csv", when).endswith("2026-11-22.csv")

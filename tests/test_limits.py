"""Bounded work for every input: each crafted input (built here, small) ends within seconds,
under 500 MB, with a message naming the limit (db/limits.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import zlib
from pathlib import Path

import pytest

from assistant.answer import Exchange
from assistant.engine import Assistant, recent
from assistant.sqlcheck import ResultTooLarge, SqlRejected, check_sql, run_sql
from db import limits
from db.store import ReadOnlyConnections
from ingest.model import IngestError
from ingest.pipeline import ingest_paths

REPO = Path(__file__).resolve().parents[1]
HANG_GUARD_S = 120  # a hang guard, not a timing assertion: the work takes well under a second


def finishes(fn):
    """fn's result (or its exception, raised here), or a failure when it is still running
    after HANG_GUARD_S."""
    out: list = []

    def run():
        try:
            out.append((True, fn()))
        except BaseException as exc:  # raised again in the test's thread
            out.append((False, exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_GUARD_S)
    assert not thread.is_alive(), "still running: the work is not bounded"
    ok, value = out[0]
    if not ok:
        raise value
    return value


# --- the question path ----------------------------------------------------------------------------

@pytest.fixture()
def reader(samples_db):
    """Connections for the thread that runs the query (a connection stays in its thread)."""
    return ReadOnlyConnections(samples_db)


@pytest.mark.parametrize("sql", ["SELECT printf('%.*c', 999999990, 'x')", "SELECT printf('%.999999990c', 'x')",
                                 "SELECT format('%*d', 999999990, 1)", "SELECT printf(name, 1) FROM items_v"])
def test_printf_with_a_huge_or_computed_width_is_refused_before_it_runs(sql):
    """SQLite repeats '%.Nc' one character at a time inside one instruction: 12 s that neither
    the progress handler nor the length limit can interrupt."""
    with pytest.raises(SqlRejected, match="printf"):
        check_sql(sql)


def test_printf_with_small_widths_still_runs(reader):
    assert run_sql(reader.get(), "SELECT printf('%.2f%%', 12.345), printf('%5d', 3)").rows == [("12.35%", "    3")]


def test_printf_past_the_length_limit_ends_at_once(reader):
    rows = finishes(lambda: run_sql(reader.get(), "SELECT printf('%100c%100c', 'x', 'y') AS v").rows)
    assert len(rows[0][0]) == 200


@pytest.mark.parametrize("sql", [
    "WITH RECURSIVE r(s, n) AS (SELECT 'x', 0 UNION ALL SELECT s || s, n + 1 FROM r WHERE n < 40) SELECT length(s) FROM r",
    "SELECT replace(replace(group_concat(raw_text), ' ', printf('%100c', 'x')), 'x', printf('%100c', 'y')) "
    "FROM items_v",
    "SELECT group_concat(a.raw_text || b.raw_text) FROM items_v a, items_v b",
])
def test_a_value_that_grows_past_the_length_limit_is_stopped_with_that_limit_named(reader, sql):
    with pytest.raises(ResultTooLarge, match="值长度限制"):
        finishes(lambda: run_sql(reader.get(), sql))


# A value of 819,200 characters (under the limit) that each function below would take past it.
NEAR_LIMIT = ("WITH RECURSIVE r(s, n) AS (SELECT printf('%.100c', {char}), 0 UNION ALL "
              "SELECT s || s, n + 1 FROM r WHERE n < 13) SELECT {expr} FROM r WHERE n = 13")


@pytest.mark.parametrize("expr, char", [("hex(s)", "'x'"), ("quote(s)", "char(39)"), ("s || s", "'x'"),
                                        ("replace(s, 'x', 'xx')", "'x'"), ("group_concat(s || s)", "'x'"),
                                        ("printf('%s%s', s, s)", "'x'")])
def test_every_function_that_can_grow_a_value_stops_at_the_length_limit(reader, expr, char):
    sql = NEAR_LIMIT.format(expr=expr, char=char)
    try:
        rows = finishes(lambda: run_sql(reader.get(), sql).rows)
    except ResultTooLarge as exc:
        assert "值长度限制" in str(exc)
    else:  # printf gives NULL rather than an error when its buffer would pass the limit
        assert rows[0][0] is None or len(rows[0][0]) <= limits.SQL_MAX_VALUE_BYTES


def test_a_result_past_the_size_cap_is_stopped_with_that_limit_named(reader):
    with pytest.raises(ResultTooLarge, match="结果大小限制"):
        run_sql(reader.get(), "SELECT raw_text, raw_text, raw_text FROM items_v", max_bytes=20_000)


def test_a_megabyte_question_gets_the_length_limit_at_once(assistant):
    answer = finishes(lambda: assistant.ask("青海省医疗保障局住房公积金" * 100_000))
    assert answer.status == "error"
    assert "问题长度限制" in answer.answer and str(limits.QUESTION_MAX_CHARS) in answer.answer


def test_subject_matching_is_linear_in_the_text(assistant):
    text = "住房公积金基本工资办公费行政运行" * 1500  # 24,000 characters, thousands of matches
    found = finishes(lambda: assistant.lexicon.find_subjects(text))
    assert len(found) >= 4 * 1500


def test_a_chat_keeps_only_the_last_exchanges(assistant):
    history: list[Exchange] = []
    for _ in range(30):
        question = "青海省医疗保障局2021年住房公积金是多少？"
        history = recent(history + [Exchange(question, assistant.ask(question, history))])
    assert len(history) == limits.CHAT_HISTORY_KEEP
    follow_up = assistant.ask("那北戴河呢？", history)
    assert follow_up.status == "answered", follow_up.answer
    assert "北戴河" in follow_up.answer


def test_the_chat_command_answers_an_over_long_line_with_the_limit_and_goes_on(samples_db):
    lines = "问" * 300_000 + "\n青海省医疗保障局2021年住房公积金是多少？\n"
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "chat", "--json", "--db", str(samples_db)],
                          input=lines, capture_output=True, text=True, cwd=REPO, timeout=HANG_GUARD_S)
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["status"] for a in answers] == ["error", "answered"]
    assert "问题长度限制" in answers[0]["answer"]


# --- ingest: crafted files, in a child process whose peak memory is measured -----------------------

def inflating(chunk: bytes, times: int) -> bytes:
    """`chunk` repeated `times` times, Flate-compressed without holding the whole in memory."""
    packer = zlib.compressobj(9)
    return b"".join(packer.compress(chunk) for _ in range(times)) + packer.flush()


def minimal_pdf(content: bytes, pages: int = 1, stream: bytes | None = None) -> bytes:
    """A valid PDF whose every page draws `content` (Flate-compressed; or `stream`, compressed)."""
    stream = stream if stream is not None else zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + k) for k in range(pages)) +
               b"] /Count %d >>" % pages,
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def far_cell_xlsx(path: Path) -> None:
    """A small workbook whose used range ends at XFD1048576."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["科目编码", "科目名称", "合计"])
    ws.append(["201", "一般公共服务支出", "100.00"])
    ws["XFD1048576"] = "x"
    wb.save(path)


@pytest.fixture(scope="module")
def crafted_run(tmp_path_factory):
    """Each crafted file ingested by a child process: its message per file and its peak memory."""
    folder = tmp_path_factory.mktemp("crafted")
    files = {}
    files["bomb"] = folder / "inflates.pdf"
    # ≈200 MB of drawing operators from a file of ≈200 KB
    files["bomb"].write_bytes(minimal_pdf(b"", stream=inflating(b"0 0 m 1 1 l S\n" * 75_000, 200)))
    files["far"] = folder / "far.xlsx"
    far_cell_xlsx(files["far"])
    files["sparse"] = folder / "huge.csv"
    with files["sparse"].open("wb") as fh:  # sparse: no disk used, the size is what counts
        fh.truncate(limits.SHEET_MAX_BYTES + 1)
    files["fifo"] = folder / "pipe.txt"
    os.mkfifo(files["fifo"])
    # Each file in a process of its own: "each crafted file ends under 500 MB" is measured per
    # file, not as the peak of five in one interpreter.
    out: dict = {"rss_mb": 0.0}
    for key, path in ({k: str(v) for k, v in files.items()} | {"zero": "/dev/zero"}).items():
        script = textwrap.dedent(f"""
            import json, re
            from pathlib import Path
            from ingest.pipeline import ingest_paths
            report = ingest_paths([Path({path!r})], Path({str(folder / "crafted.db")!r}))
            # VmHWM is this program's own peak; ru_maxrss would carry over the forking pytest's
            peak_kb = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
            print(json.dumps({{"messages": [r.status + " " + r.message for r in report.results],
                               "rss_mb": peak_kb / 1024}}, ensure_ascii=False))
        """)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                              timeout=HANG_GUARD_S)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout.strip().splitlines()[-1])
        out[key] = result["messages"]
        out["rss_mb"] = max(out["rss_mb"], result["rss_mb"])
    return out


def test_crafted_files_end_under_500_mb(crafted_run):
    assert crafted_run["rss_mb"] < 500


@pytest.mark.parametrize("key, limit", [("bomb", "解压内容限制"), ("far", "单元格数量限制"),
                                        ("sparse", "文件大小限制"), ("fifo", "不是普通文件"),
                                        ("zero", "不是普通文件")])
def test_each_crafted_file_is_refused_naming_its_limit(crafted_run, key, limit):
    [message] = crafted_run[key]
    assert message.startswith("failed") and limit in message


def test_a_pdf_past_the_page_limit_is_refused(tmp_path, monkeypatch):
    from ingest.readers.pdf_reader import read_pdf

    path = tmp_path / "pages.pdf"
    path.write_bytes(minimal_pdf(b"0 0 m 1 1 l S\n", pages=3))
    monkeypatch.setattr(limits, "PDF_MAX_PAGES", 2)
    with pytest.raises(IngestError, match="页数限制"):
        read_pdf(path)


def test_a_pdf_past_the_time_limit_is_stopped(tmp_path, monkeypatch):
    from ingest.readers.pdf_reader import read_pdf

    path = tmp_path / "slow.pdf"
    path.write_bytes(minimal_pdf(b"0 0 m 1 1 l S\n", pages=2))
    monkeypatch.setattr(limits, "PDF_MAX_SECONDS", -1.0)
    with pytest.raises(IngestError, match="时间限制"):
        read_pdf(path)


def test_a_csv_past_the_row_cap_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "rows.csv"
    path.write_text("科目编码,科目名称,合计\n" + "".join(f"201{k:02d},支出{k},1.00\n" for k in range(30)),
                    encoding="utf-8")
    monkeypatch.setattr(limits, "CSV_MAX_ROWS", 10)
    report = ingest_paths([path], tmp_path / "rows.db")
    assert "行数限制" in report.failed[0].message


def test_a_workbook_still_reads_its_merged_header_in_streaming_mode(tmp_path):
    """read_only openpyxl keeps no merged ranges; they are read from the sheet's XML."""
    from openpyxl import Workbook

    from ingest.readers.sheet_reader import _xlsx_sheets

    wb = Workbook()
    ws = wb.active
    ws.append(["支出预算表"])
    ws.append(["科目", None, "合计"])
    ws.merge_cells("A1:C1")
    ws.merge_cells("A2:B2")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    [(_, rows, merges)] = _xlsx_sheets(path)
    assert rows[0][0] == "支出预算表"
    assert sorted(merges) == [(0, 0, 0, 2), (1, 0, 1, 1)]


def test_a_word_file_that_unzips_past_the_limit_is_refused(tmp_path, monkeypatch):
    import zipfile

    path = tmp_path / "inflates.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * 2_000_000)
    monkeypatch.setattr(limits, "SHEET_MAX_UNZIPPED_BYTES", 1_000_000)
    report = ingest_paths([path], tmp_path / "docx.db")
    assert "解压大小限制" in report.failed[0].message

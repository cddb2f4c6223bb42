"""Hundreds of departments: rankings and sums over all of them in SQL, never cut at the row cap;
the vocabulary read from the table ingest writes; no_data names a few documents, not all."""
from __future__ import annotations

import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES
from scale_corpus import copy_document, county_bodies

sys.path.insert(0, str(REPO / "benchmarks"))

COPIES = 250  # more than the checker's 200-row cap
BASE_WAGE_FEN = 67_030_740  # 莲湖 2024 基本工资（30101）670,307.40元


def multiplier(k: int) -> int:
    """Distinct multipliers 1..251 in a shuffled order, the largest at k = 237: past the first 200."""
    return (k * 7 + 97) % 251 + 1


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> tuple[Path, list[str]]:
    from db.store import connect_writer
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("scale") / "scale.db"
    report = ingest_paths([SAMPLES / "lianhu-2024-budget.txt"], path)
    assert not report.failed
    conn = connect_writer(path)
    (source,) = conn.execute("SELECT doc_id FROM documents").fetchone()
    bodies = county_bodies("医疗保障局", COPIES)
    conn.execute("BEGIN")
    for k, issuer in enumerate(bodies):
        copy_document(conn, source, issuer, multiplier(k))
    # The top department also published a 单位预算 of the same year with far larger figures: a
    # ranking must read the department once, through its 部门预算.
    top = max(range(COPIES), key=multiplier)
    copy_document(conn, source, bodies[top], 1000, scope="单位")
    conn.execute("COMMIT")
    conn.close()
    return path, bodies


@pytest.fixture(scope="module")
def big(big_store):
    from assistant.engine import Assistant

    return Assistant(big_store[0])


def wan(fen: int) -> Decimal:
    return Decimal(fen) / 1_000_000


def test_ranking_over_more_documents_than_the_row_cap_names_the_true_top(big, big_store):
    bodies = big_store[1]
    top = max(range(COPIES), key=multiplier)
    assert top >= 200  # past the cap: a query cut at 200 rows ordered by doc_id would miss it
    answer = big.ask("哪个单位的基本工资最多？")
    assert answer.status == "answered"
    assert answer.figures[0].value == wan(BASE_WAGE_FEN * multiplier(top))
    assert answer.answer.startswith(f"基本工资最多的是{bodies[top]}")
    assert f"共{COPIES + 1}个单位" in answer.answer
    assert not any("只用了前" in w for w in answer.warnings)


def test_ranking_lowest_first_over_all_documents(big):
    answer = big.ask("哪个单位的基本工资最少？")
    # the original (×1) and the copy with multiplier 1 tie at the bottom
    assert answer.figures[0].value == wan(BASE_WAGE_FEN)


def test_sum_over_all_departments_adds_every_one_once(big):
    answer = big.ask("所有单位的基本工资合计是多少？")
    assert answer.status == "answered"
    expected = BASE_WAGE_FEN * (1 + sum(multiplier(k) for k in range(COPIES)))
    assert answer.figures[-1].value == wan(expected)
    assert f"{COPIES + 1}个单位的基本工资合计" in answer.answer


def test_no_data_names_a_few_documents_not_every_one(big):
    answer = big.ask("各单位的不存在的科目是多少？")
    assert answer.status == "no_data"
    assert answer.answer.count("《") <= 10
    assert f"等{COPIES + 2}份" in answer.answer


def test_scope_filter_selects_the_documents_the_engine_lists(big):
    from assistant.engine import one_per_department
    from assistant.queries import DocScope, Trace, _docs

    documents, _ = one_per_department(big.lexicon.documents)
    scope = DocScope(frozenset(d.doc_id for d in documents), 2024, "医疗保障局")
    trace = Trace(big.conn, scope=scope)
    clause, params = _docs(trace, [d.doc_id for d in documents])
    assert "?" in clause and len(params) == 2  # the filter, not one parameter per document
    selected = {r[0] for r in big.conn.execute(f"SELECT doc_id FROM documents WHERE {clause}", params)}
    assert selected == {d.doc_id for d in documents}


def test_vocabulary_is_written_at_ingest(big_store):
    conn = sqlite3.connect(big_store[0])
    kinds = dict(conn.execute("SELECT kind, count(*) FROM vocabulary GROUP BY kind"))
    assert kinds["item"] > 10 and kinds["code"] > 10 and kinds["table"] > 3
    assert conn.execute("SELECT 1 FROM vocabulary WHERE kind = 'item' AND name = '基本工资'").fetchone()


def test_a_store_without_vocabulary_rows_still_starts(tmp_path):
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    path = tmp_path / "old.db"
    ingest_paths([SAMPLES / "qinghai-2021-budget.txt"], path)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM vocabulary")  # as a store written before the table existed
    conn.commit()
    conn.close()
    answer = Assistant(path).ask("青海省医疗保障局2021年信息化建设是多少？")
    assert answer.figures[0].value == Decimal("1566.45")
    ingest_paths([SAMPLES / "lianhu-2024-budget.txt"], path)  # the next ingest fills it for every document
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT 1 FROM vocabulary WHERE name = '信息化建设'").fetchone()


def test_a_capped_result_is_stated_in_the_answer(big):
    from assistant.queries import Trace

    trace = Trace(big.conn)
    trace.run("SELECT item_id FROM items_v")
    assert trace.capped


def test_a_start_up_error_is_a_message_not_a_traceback(tmp_path):
    from assistant.engine import Assistant
    from db.store import StoreError

    path = tmp_path / "broken.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE documents (doc_id INTEGER)")  # a store missing its other tables
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="数据库"):  # said in Chinese, caught by the CLI and the app
        Assistant(path)


def test_a_year_not_loaded_names_a_few_departments_not_every_one(big):
    answer = big.ask("2030年哪个单位的基本工资最多？")
    assert answer.status == "no_data"
    assert f"等{COPIES + 1}个单位" in answer.answer and len(answer.answer) < 1000


def test_readers_during_an_ingest_see_each_document_whole_or_not_at_all(tmp_path):
    import threading

    from db.store import connect_readonly
    from ingest.pipeline import ingest_paths

    from synth import generate

    generate(tmp_path / "corpus", 12)
    store = tmp_path / "busy.db"
    ingest_paths([tmp_path / "corpus" / "000000.txt"], store)  # the store exists before readers start
    seen: list[tuple[int, int]] = []
    errors: list[str] = []
    done = threading.Event()

    def read() -> None:
        conn = connect_readonly(store)
        while not done.is_set():
            try:  # one statement: one snapshot of the store
                seen.extend(conn.execute("SELECT d.doc_id, (SELECT count(*) FROM line_items i "
                                         "WHERE i.doc_id = d.doc_id) FROM documents d").fetchall())
            except sqlite3.Error as exc:
                errors.append(str(exc))

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    report = ingest_paths([tmp_path / "corpus"], store)
    done.set()
    for reader in readers:
        reader.join()
    assert report.count("ingested") == 11 and errors == []
    final = dict(sqlite3.connect(store).execute(
        "SELECT d.doc_id, (SELECT count(*) FROM line_items i WHERE i.doc_id = d.doc_id) FROM documents d"))
    assert seen and all(final[doc_id] == count for doc_id, count in seen)

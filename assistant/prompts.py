"""The LLM engine's prompts: text from prompts/, schema and vocabulary from db/ at runtime.

Nothing about the database is copied by hand into a prompt: the view descriptions are read
from db/views.sql (which columns each view has, from which table) and db/schema.sql (each
column's type and comment), the vocabulary from db/glossary.json, and the list of loaded
documents from the store. Change the schema and the prompt follows.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from db.glossary import glossary
from db.store import schema_sql

from .lexicon import Document

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
_TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)\s*\((.*?)\n\);", re.S)
_SLOT = re.compile(r"\{(schema|glossary|documents)\}")
_COLUMN = re.compile(r"^\s*(\w+)\s+(INTEGER|TEXT|REAL|NUMERIC|BLOB)\b[^\n]*?(?:--\s*(.*))?$", re.M)


def prompt_text(name: str) -> str:
    return (PROMPTS_DIR / name).read_text(encoding="utf-8").strip()


@lru_cache(maxsize=1)
def few_shot_examples() -> tuple[dict[str, str], ...]:
    """prompts/few_shot.jsonl: {"kind", "question", "sql"} or {"kind", "question", "reply"}."""
    lines = (PROMPTS_DIR / "few_shot.jsonl").read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


def few_shot_messages() -> list[tuple[str, str]]:
    """The examples as alternating (human, ai) turns in the reply format the model must use."""
    messages: list[tuple[str, str]] = []
    for example in few_shot_examples():
        reply = example.get("reply") or f"```sql\n{example['sql']}\n```"
        messages += [("human", example["question"]), ("ai", reply)]
    return messages


def system_prompt(documents: list[Document]) -> str:
    """prompts/system.md with its three slots filled in one pass, so that text in one part (a
    document title, say) can never be taken for another slot."""
    parts = {"schema": schema_description(), "glossary": glossary_terms(), "documents": documents_list(documents)}
    return _SLOT.sub(lambda m: parts[m.group(1)], prompt_text("system.md"))


def as_data(text: Any) -> str:
    """A value from the database or the conversation as one quoted JSON string: its newlines,
    quotes and backticks are escaped, so it cannot open a new section of the prompt or end
    the data around it. The prompts say that quoted text is data, never an instruction."""
    return json.dumps("" if text is None else str(text), ensure_ascii=False)


# --- schema, from db/schema.sql + db/views.sql ---------------------------------------------------

def table_columns(sql: str) -> dict[str, dict[str, tuple[str, str]]]:
    """table → column → (type, comment), from the CREATE TABLE statements of schema.sql."""
    tables: dict[str, dict[str, tuple[str, str]]] = {}
    for name, body in _TABLE.findall(sql):
        tables[name] = {col: (kind, (comment or "").strip()) for col, kind, comment in _COLUMN.findall(body)}
    return tables


@lru_cache(maxsize=1)
def schema_description() -> str:
    """Each view with its columns, their types and the schema's comment on them."""
    sql = schema_sql()
    tables = table_columns(sql)
    blocks = []
    for statement in sqlglot.parse(sql, read="sqlite"):
        if not isinstance(statement, exp.Create) or statement.kind != "VIEW":
            continue
        select = statement.expression
        aliases = {t.alias_or_name: t.name for t in select.find_all(exp.Table)}
        lines = [f"{statement.this.name}("]
        for projection in select.expressions:
            column = projection.unalias()
            kind, comment = "", ""
            if isinstance(column, exp.Column):
                kind, comment = tables.get(aliases.get(column.table, ""), {}).get(column.name, ("", ""))
                if projection.alias and not comment:
                    comment = f"{aliases.get(column.table, '')}.{column.name}"
            lines.append(f"  {projection.alias_or_name} {kind}".rstrip() + (f"  -- {comment}" if comment else ""))
        blocks.append("\n".join(lines) + "\n)")
    return "\n\n".join(blocks)


# --- vocabulary, from db/glossary.json -----------------------------------------------------------

def glossary_terms() -> str:
    g = glossary()
    parts = ["术语："]
    parts += [f"- {term}：{meaning}" for term, meaning in g["concepts"].items() if not term.startswith("_")]
    parts.append("measure 列的取值（规范名：表中印的栏目名）：")
    parts += [f"- {name}：{'、'.join(words)}" for name, words in g["measures"].items()]
    parts.append("table_kind 列的取值（规范名：表名中的字样）：")
    parts += [f"- {kind}：{'、'.join(words)}" for kind, words in g["table_kinds"].items()]
    parts.append("科目与名称的同义词（存储名：用户可能的说法）：")
    parts += [f"- {name}：{'、'.join(words)}" for name, words in g["subject_synonyms"].items()]
    parts.append("单位简称（全称后缀：简称）：")
    parts += [f"- {name}：{'、'.join(words)}" for name, words in g["bureau_abbreviations"].items()]
    parts.append("英文术语：" + "；".join(f"{en} = {zh}" for en, zh in g["english"].items()))
    return "\n".join(parts)


def documents_list(documents: list[Document]) -> str:
    if not documents:
        return "（没有载入任何文档）"
    return "\n".join(json.dumps({"doc_id": d.doc_id, "issuer": d.issuer, "year": d.year, "kind": d.kind,
                                 "title": d.title}, ensure_ascii=False) for d in documents)


def history_text(exchanges: list[Any], limit: int = 3, answer_chars: int = 300) -> str:
    """The last turns of the conversation as plain text for the rewrite prompt."""
    lines = []
    for exchange in exchanges[-limit:]:
        lines.append(f"用户：{as_data(exchange.question)}")
        lines.append(f"助手：{as_data(exchange.answer.answer[:answer_chars])}")
    return "\n".join(lines)

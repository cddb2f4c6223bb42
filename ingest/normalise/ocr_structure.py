"""Where an OCR figure sits: checks of a table's structure that catch the right digits in the
wrong place, which the digit identities of ocr_checks.py cannot (a misplaced amount adds up
wherever it lands when its whole row or column moved with it).

Each check learns what the document itself holds, so none is a rule about one publisher:

- row sums: in a table where 合计 = the sum of the row's other amounts on most rows, a row
  where it does not hold has a figure in the wrong column (a lost cell shifted the others);
- row shape: in a table whose blank cells were lost (no ruling lines) and where most rows
  print every amount column, a row printing fewer had its figures placed by guess (in a
  ruled table a lost cell moves nothing);
- the same 科目 in two tables: two tables that agree on the amounts of the codes they share
  should agree on every one; a code whose amounts differ was read or placed wrong in one;
- 科目 code ↔ name: a code printed with another name than everywhere else in the document
  (or a name printed with another code) is a row whose code and name come from two rows;
- the title: a table whose title was not read, or names a table family only after a
  one-character repair (入 read as 人), is a guess about which table the figures belong to.

`doubts` returns, per item, why its place is in doubt; ocr_checks.py flags those that no
identity confirms.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from db.glossary import glossary
from ingest.model import ParsedDocument, RawTable
from ingest.normalise.normalize import Item, NormalizedDocument, NormalizedTable
from ingest.recognise.table_families import ORDER, plain_title

MAJORITY = 0.75  # the share of a table's rows (or shared codes) an identity holds on to be expected
MIN_AGREEING = 3  # and at least this many, so two rows that happen to agree teach nothing


def doubts(doc: NormalizedDocument, parsed: ParsedDocument, ocr_items: list[Item]) -> dict[int, str]:
    """id(item) → why its place is in doubt, for the OCR-read items only."""
    wanted = {id(item) for item in ocr_items}
    found: dict[int, str] = {}
    for table, raw in zip(doc.tables, parsed.tables):
        for item, reason in _row_sums(table) + ([] if raw.cells_positional else _row_shape(table)):
            found.setdefault(id(item), reason)
        if not table.title:  # which table the figures belong to was guessed from their columns
            for item in table.items:
                found.setdefault(id(item), "表名未能识别")
        elif raw.title_as_read:
            for item in table.items:
                found.setdefault(id(item), f"表名识别为“{raw.title_as_read}”，按“{table.title}”归类")
    for check in (_same_code_pairs, _code_names):
        for item, reason in check(doc):
            found.setdefault(id(item), reason)
    return {key: reason for key, reason in found.items() if key in wanted}


# --- within a table --------------------------------------------------------------------------

def _money(items: list[Item]) -> list[Item]:
    return [i for i in items if i.unit in ("元", "万元")]


def _rows(table: NormalizedTable) -> dict[tuple, list[Item]]:
    rows: dict[tuple, list[Item]] = defaultdict(list)
    for item in _money(table.items):
        rows[(item.row_no, item.side)].append(item)
    return rows


def _row_sums(table: NormalizedTable) -> list[tuple[Item, str]]:
    """Rows breaking the 合计 = sum of the other amounts identity the table's other rows hold."""
    from ingest.normalise.ocr_checks import rounding_slack

    holds, breaks = [], []
    for items in _rows(table).values():
        totals = [i for i in items if i.measure == "合计"]
        others = [i for i in items if i.measure != "合计"]
        if len(totals) != 1 or not others:
            continue
        diff = abs(totals[0].amount_fen - sum(i.amount_fen for i in others))
        (holds if diff <= rounding_slack(items) else breaks).append(items)
    if len(holds) < MIN_AGREEING or len(holds) < MAJORITY * (len(holds) + len(breaks)):
        return []
    return [(item, "本行各列之和与合计不符") for items in breaks for item in items]


def _row_shape(table: NormalizedTable) -> list[tuple[Item, str]]:
    """Rows printing fewer amount columns than the table's rows mostly print."""
    rows = _rows(table)
    widths = Counter(len({i.column_label for i in items}) for items in rows.values())
    if not widths:
        return []
    width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
    if count < MIN_AGREEING or count < MAJORITY * sum(widths.values()):
        return []
    return [(item, "本行数字个数少于表头列数") for items in rows.values()
            if len({i.column_label for i in items}) < width for item in items]


# --- across the tables of a document ---------------------------------------------------------

def _same_code_pairs(doc: NormalizedDocument) -> list[tuple[Item, str]]:
    """Codes two tables share with different amounts, in a pair of tables that otherwise agree."""
    by_table: list[dict[tuple[str, str], Item]] = []
    for table in doc.tables:
        codes: dict[tuple[str, str], Item] = {}
        for item in _money(table.items):
            if item.code:
                codes.setdefault((item.code, item.measure), item)
        by_table.append(codes)
    out = []
    for a in range(len(by_table)):
        for b in range(a + 1, len(by_table)):
            shared = by_table[a].keys() & by_table[b].keys()
            differ = [k for k in shared if by_table[a][k].amount_fen != by_table[b][k].amount_fen]
            agree = len(shared) - len(differ)
            if differ and agree >= MIN_AGREEING and agree >= MAJORITY * len(shared):
                for key in differ:
                    reason = f"科目{key[0]}在另一张表中的金额不同"
                    out += [(by_table[a][key], reason), (by_table[b][key], reason)]
    return out


def _code_names(doc: NormalizedDocument) -> list[tuple[Item, str]]:
    """Rows whose code and name disagree with how the rest of the document pairs them."""
    names: dict[str, Counter] = defaultdict(Counter)
    codes: dict[str, Counter] = defaultdict(Counter)
    for table in doc.tables:
        for row in {(i.row_no, i.code, _plain(i.name)) for i in table.items if i.code and i.name}:
            names[row[1]][row[2]] += 1
            codes[row[2]][row[1]] += 1
    out = []
    for table in doc.tables:
        for item in table.items:
            if not item.code or not item.name:
                continue
            name = _plain(item.name)
            usual_name, n = names[item.code].most_common(1)[0]
            usual_code, m = codes[name].most_common(1)[0]
            if (n >= 2 and names[item.code][name] < n and not _close(name, usual_name)) or \
                    (m >= 2 and codes[name][item.code] < m and len(usual_code) == len(item.code)
                     and _parent(usual_code) == _parent(item.code)):
                out.append((item, f"科目编码{item.code}与名称“{item.name}”和文件中其他表的对应不一致"))
    return out


def _plain(name: str) -> str:
    return re.sub(r"[\s（）()“”\"'、:：]", "", name)


def _close(a: str, b: str) -> bool:
    """One character misread or dropped: the same name as far as a row's place goes."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))


def _parent(code: str) -> str:
    return code[:-2] if len(code) > 3 else ""


# --- the title ---------------------------------------------------------------------------------

def repair_titles(tables: list[RawTable]) -> None:
    """OCR-read titles that name a table family only after one character is put right
    ('收人预算总表' → '收入预算总表') are put right, the title as read kept beside: the
    figures then land in their family's table, and `doubts` marks them as placed by a guess."""
    for table in tables:
        table.title = paired_quotes(table.title)
        repaired = title_repaired(table.title)
        if repaired is not None:
            table.title_as_read, table.title = table.title, repaired


def paired_quotes(text: str) -> str:
    """Straight double quotes the recogniser read for printed “ ” ('“三公"经费'), put back as
    the pair they close or open: titles print Chinese quotes, and a title is matched as printed."""
    out, open_ = [], False
    for ch in text:
        if ch == '"':
            ch = "”" if open_ else "“"
        if ch in "“”":
            open_ = ch == "“"
        out.append(ch)
    return "".join(out)


def title_repaired(title: str) -> str | None:
    """The title with one character of a family word put right, or None when the title names a
    family as printed, or no family word is one character away."""
    text = plain_title(title)
    kinds = glossary()["table_kinds"]
    words = [w for kind in ORDER for w in kinds.get(kind, [])]
    if not text or any(w in text for w in words):
        return None
    candidates: dict[str, bool] = {}  # repaired title → the changed pair looks alike
    for word in words:
        if len(word) < 4:  # a short word one character away is another word
            continue
        for start in range(0, len(title) - len(word) + 1):
            window = title[start:start + len(word)]
            changed = [(x, y) for x, y in zip(window, word) if x != y]
            if len(changed) == 1:
                repaired = title[:start] + word + title[start + len(word):]
                candidates[repaired] = candidates.get(repaired, False) or _look_alike(*changed[0])
    alike = [t for t, ok in candidates.items() if ok]
    if len(alike) == 1:
        return alike[0]
    return next(iter(candidates)) if len(candidates) == 1 else None


# Characters the recogniser mistakes for each other in printed titles: the repair that needs
# one of these swaps wins over one that needs any other (收人 → 收入, not 收支).
LOOK_ALIKE = ["入人八", "支文", "出山", "预顶", "算箅", "总忌", "表衣", "决快", "拨拔", "款欵", "经轻", "费贵"]


def _look_alike(a: str, b: str) -> bool:
    return any(a in group and b in group for group in LOOK_ALIKE)

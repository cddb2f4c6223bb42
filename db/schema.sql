-- budgetqa store. Every figure keeps its provenance: document, table (title as printed, page,
-- line), row number and the raw text it was read from. Amounts are exact: integer 分 (0.01 元)
-- whatever unit the table printed; `unit` says what the source printed (元 / 万元) so answers
-- can quote it as published.

CREATE TABLE IF NOT EXISTS documents (
    doc_id       INTEGER PRIMARY KEY,
    issuer       TEXT NOT NULL,            -- 青海省医疗保障局
    year         INTEGER,                  -- NULL: the text does not state it
    kind         TEXT NOT NULL,            -- 预算 / 决算
    scope        TEXT,                     -- 部门 / 单位
    title        TEXT NOT NULL,            -- 青海省医疗保障局2021年部门预算
    source_file  TEXT NOT NULL,
    sha256       TEXT NOT NULL UNIQUE,
    layout       TEXT NOT NULL,            -- the reader that parsed it
    unit         TEXT,                     -- the unit most of its tables print
    pages        INTEGER,
    ingested_at  TEXT NOT NULL,
    part         TEXT NOT NULL DEFAULT 'whole',  -- whole | tables | text: one budget published as two files
    identity_json TEXT                     -- which cue decided issuer/year/kind/scope, what is uncertain
);

CREATE TABLE IF NOT EXISTS source_tables (
    table_id     INTEGER PRIMARY KEY,
    doc_id       INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,         -- order in the document, 1-based
    title        TEXT NOT NULL,            -- as printed
    table_kind   TEXT NOT NULL,            -- normalized kind, see db/glossary.json "table_kinds"
    unit         TEXT,                     -- 元 / 万元
    page         INTEGER,
    line         INTEGER,
    columns_json TEXT NOT NULL,            -- leaf column labels
    is_empty     INTEGER NOT NULL DEFAULT 0,
    note         TEXT
);

CREATE INDEX IF NOT EXISTS source_tables_doc ON source_tables(doc_id, seq);

-- Every body row as printed, so a stored table can be shown back and a cited row seen in context.
CREATE TABLE IF NOT EXISTS table_rows (
    table_id     INTEGER NOT NULL REFERENCES source_tables(table_id) ON DELETE CASCADE,
    row_no       INTEGER NOT NULL,         -- 1-based body row
    cells_json   TEXT NOT NULL,
    page         INTEGER,
    line         INTEGER,
    PRIMARY KEY (table_id, row_no)
);

-- Line items in long form: one row per (table row, measure column) with an amount.
CREATE TABLE IF NOT EXISTS line_items (
    item_id        INTEGER PRIMARY KEY,
    doc_id         INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    table_id       INTEGER NOT NULL REFERENCES source_tables(table_id) ON DELETE CASCADE,
    row_no         INTEGER NOT NULL,
    code           TEXT,                   -- full code: 2101501, 30101, 50101; NULL for a label row
    name           TEXT NOT NULL,          -- 行政运行 / 本年收入合计 / 因公出国（境）费
    classification TEXT NOT NULL,          -- function | dept_economic | gov_economic | income | expenditure | sangong | unit | project | other
    side           TEXT,                   -- 收入 / 支出 for side-by-side summary tables
    parent_code    TEXT,
    level          TEXT,                   -- 类 / 款 / 项 (economic: 类 / 款)
    is_total       INTEGER NOT NULL DEFAULT 0,  -- 合计 / 总计 rows
    measure        TEXT NOT NULL,          -- column label normalized: 合计 / 基本支出 / 项目支出 / 人员经费 / 公用经费 / 预算数 / 上年预算数 …
    column_label   TEXT NOT NULL,          -- column label as printed
    amount_fen     INTEGER NOT NULL,       -- exact, in 分
    amount_text    TEXT NOT NULL,          -- as printed: "1,566.45"
    unit           TEXT NOT NULL,          -- unit printed for the table: 元 / 万元
    uncertain      INTEGER NOT NULL DEFAULT 0,  -- the layout lost the column and no identity decided it
    raw_text       TEXT NOT NULL,          -- the row as printed
    page           INTEGER,
    line           INTEGER,
    bbox           TEXT,                   -- JSON [x0, top, x1, bottom] of the cell on its page, PDF points; NULL without geometry
    ocr_confidence REAL                    -- NULL: printed text; else read by OCR with this engine confidence (0–1)
);
-- (name, doc_id) and (code, doc_id): a subject's rows in the documents asked, one seek each,
-- whether one document is asked or a ranking reads thousands.
DROP INDEX IF EXISTS line_items_code;
DROP INDEX IF EXISTS line_items_name;
CREATE INDEX IF NOT EXISTS line_items_code_doc ON line_items(code, doc_id);
CREATE INDEX IF NOT EXISTS line_items_name_doc ON line_items(name, doc_id);
CREATE INDEX IF NOT EXISTS line_items_doc ON line_items(doc_id, table_id);
CREATE INDEX IF NOT EXISTS line_items_table ON line_items(table_id, row_no);

CREATE TABLE IF NOT EXISTS projects (
    project_id    INTEGER PRIMARY KEY,
    doc_id        INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    table_id      INTEGER REFERENCES source_tables(table_id) ON DELETE CASCADE,
    row_no        INTEGER,
    project_code  TEXT,                    -- 54010024T00000150 when printed
    name          TEXT NOT NULL,
    amount_fen    INTEGER,                 -- NULL when the form states none
    amount_text   TEXT,
    unit          TEXT,
    category      TEXT,                    -- 经常性项目 / 一次性项目 / 延续 / 新增 …
    raw_text      TEXT NOT NULL,
    page          INTEGER,
    line          INTEGER
);
CREATE INDEX IF NOT EXISTS projects_name ON projects(name);
CREATE INDEX IF NOT EXISTS projects_doc ON projects(doc_id);
CREATE INDEX IF NOT EXISTS projects_table ON projects(table_id);

CREATE TABLE IF NOT EXISTS indicators (
    indicator_id  INTEGER PRIMARY KEY,
    doc_id        INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    project_id    INTEGER REFERENCES projects(project_id) ON DELETE CASCADE,  -- NULL: whole-department target
    table_id      INTEGER REFERENCES source_tables(table_id) ON DELETE CASCADE,
    row_no        INTEGER,
    level1        TEXT,                    -- 一级指标: 产出指标
    level2        TEXT,                    -- 二级指标: 数量指标
    name          TEXT NOT NULL,           -- 三级指标 / 指标内容
    operator      TEXT,                    -- ≥ ≤ = > < or 定性
    value_text    TEXT,                    -- as printed: "≥90%", "401867人"
    value_num     TEXT,                    -- exact decimal text, NULL when qualitative
    value_unit    TEXT,                    -- % 人 人次 万元 …
    weight        TEXT,
    direction     TEXT,                    -- 正向指标 / 反向指标
    raw_text      TEXT NOT NULL,
    page          INTEGER,
    line          INTEGER
);

CREATE INDEX IF NOT EXISTS indicators_doc ON indicators(doc_id);
CREATE INDEX IF NOT EXISTS indicators_project ON indicators(project_id);
CREATE INDEX IF NOT EXISTS indicators_table ON indicators(table_id);

-- Figures stated in the explanatory text.
CREATE TABLE IF NOT EXISTS text_figures (
    figure_id     INTEGER PRIMARY KEY,
    doc_id        INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    section       TEXT,                    -- heading of the section the sentence sits in
    sentence      TEXT NOT NULL,
    subject       TEXT,                    -- what the figure is about: 机关运行经费 / 行政运行（2101501）
    code          TEXT,                    -- 科目 code stated with the subject, if any
    kind          TEXT NOT NULL,           -- amount | change | percent | count | share
    value         TEXT NOT NULL,           -- exact decimal text, signed for changes (减少 → negative)
    unit          TEXT,                    -- 万元 / 元 / % / 辆 …
    compared_to   TEXT,                    -- 上年 for changes and growth rates
    page          INTEGER,
    line          INTEGER,
    bbox          TEXT,                    -- JSON [x0, top, x1, bottom] of the sentence on its page, PDF points
    ocr_confidence REAL                    -- NULL: printed text; else read by OCR with this engine confidence
);
CREATE INDEX IF NOT EXISTS text_figures_subject ON text_figures(subject);
CREATE INDEX IF NOT EXISTS text_figures_doc ON text_figures(doc_id);

-- Consistency findings (budgetqa audit), stored with the rows they involve.
CREATE TABLE IF NOT EXISTS findings (
    finding_id    INTEGER PRIMARY KEY,
    doc_id        INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    rule_id       TEXT NOT NULL,
    severity      TEXT NOT NULL,           -- error / warning / info
    subject       TEXT,
    message       TEXT NOT NULL,           -- short explanation in Chinese
    refs_json     TEXT NOT NULL            -- [{"kind": "item"|"text"|"project", "id": …}, …]
);

-- The explanatory text as read, one paragraph a row, so the audit can read what no figure
-- carries (headings, placeholders left from the template, dates, required sections).
CREATE TABLE IF NOT EXISTS text_lines (
    line_id       INTEGER PRIMARY KEY,
    doc_id        INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,        -- order in the document, 1-based
    kind          TEXT NOT NULL,           -- heading (title lines) | paragraph
    section       TEXT,                    -- heading of the section the paragraph sits in
    text          TEXT NOT NULL,
    page          INTEGER,
    line          INTEGER
);
CREATE INDEX IF NOT EXISTS text_lines_doc ON text_lines(doc_id);

-- What a finding compares, as data (budgetqa audit --json / --format csv / --report): the
-- figure the document states, the one its own tables or arithmetic give, and their unit.
CREATE TABLE IF NOT EXISTS finding_values (
    finding_id    INTEGER PRIMARY KEY REFERENCES findings(finding_id) ON DELETE CASCADE,
    stated        TEXT,                    -- exact decimal text as the document states it
    expected      TEXT,
    difference    TEXT,                    -- stated − expected
    unit          TEXT                     -- 万元 / 元 / %
);

CREATE INDEX IF NOT EXISTS findings_doc ON findings(doc_id);

-- Scale: the indexes above cover every foreign key, so loading, auditing or deleting one
-- document reads that document's rows only (table_rows is keyed by table_id already).
CREATE INDEX IF NOT EXISTS documents_issuer ON documents(issuer, year, kind);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source_file);
CREATE INDEX IF NOT EXISTS documents_year ON documents(year);

-- The question engine's vocabulary, written at ingest (ingest/vocabulary.py) so that start-up
-- reads one small table instead of DISTINCT scans over every line item. kind: item | total |
-- project | indicator | text | table | code | side_code; for a side code, `name` is the code and
-- `detail` the name printed beside it; for pinyin, `name` is the issuer and `detail` one pinyin word
-- (so start-up loads no pinyin dictionary). A name stays after its document is replaced: a term
-- that finds no rows answers "not in the loaded budgets", never a figure.
CREATE TABLE IF NOT EXISTS vocabulary (
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, name, detail)
);

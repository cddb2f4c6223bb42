-- Views for the question engine: every figure arrives with its provenance (document title,
-- issuer, year, table title or text section, page, line, row). Questions query these views,
-- never the base tables, so a cited answer can always say where a number was printed.

CREATE VIEW IF NOT EXISTS items_v AS
SELECT li.item_id, d.doc_id, d.issuer, d.year, d.kind AS doc_kind, d.title AS document,
       t.table_id, t.title AS source_table, t.table_kind, li.row_no, li.page, li.line,
       li.code, li.name, li.classification, li.side, li.parent_code, li.level, li.is_total,
       li.measure, li.column_label, li.amount_fen, li.amount_text, li.unit, li.uncertain,
       li.raw_text, li.ocr_confidence
FROM line_items li
JOIN documents d ON d.doc_id = li.doc_id
JOIN source_tables t ON t.table_id = li.table_id;

CREATE VIEW IF NOT EXISTS projects_v AS
SELECT p.project_id, d.doc_id, d.issuer, d.year, d.kind AS doc_kind, d.title AS document,
       p.table_id, t.title AS source_table, t.table_kind, p.row_no, p.page, p.line,
       p.project_code, p.name, p.amount_fen, p.amount_text, p.unit, p.category, p.raw_text
FROM projects p
JOIN documents d ON d.doc_id = p.doc_id
LEFT JOIN source_tables t ON t.table_id = p.table_id;

CREATE VIEW IF NOT EXISTS indicators_v AS
SELECT i.indicator_id, d.doc_id, d.issuer, d.year, d.kind AS doc_kind, d.title AS document,
       i.table_id, t.title AS source_table, i.row_no, i.page, i.line,
       i.project_id, p.name AS project, i.level1, i.level2, i.name, i.operator,
       i.value_text, i.value_num, i.value_unit, i.weight, i.direction, i.raw_text
FROM indicators i
JOIN documents d ON d.doc_id = i.doc_id
LEFT JOIN projects p ON p.project_id = i.project_id
LEFT JOIN source_tables t ON t.table_id = i.table_id;

CREATE VIEW IF NOT EXISTS text_figures_v AS
SELECT f.figure_id, d.doc_id, d.issuer, d.year, d.kind AS doc_kind, d.title AS document,
       f.section, f.sentence, f.subject, f.code, f.kind, f.value, f.unit, f.compared_to,
       f.page, f.line, f.ocr_confidence
FROM text_figures f
JOIN documents d ON d.doc_id = f.doc_id;

CREATE VIEW IF NOT EXISTS findings_v AS
SELECT g.finding_id, d.doc_id, d.issuer, d.year, d.title AS document, g.rule_id, g.severity,
       g.subject, g.message, g.refs_json
FROM findings g
JOIN documents d ON d.doc_id = g.doc_id;

"""Budget words the audit rules recognise. Data, kept apart from the checks that use it."""
from __future__ import annotations

# 支出功能分类 类级科目 (2021 起的政府收支分类科目): name → code.
FUNCTION_CLASSES = {
    "一般公共服务支出": "201", "外交支出": "202", "国防支出": "203", "公共安全支出": "204",
    "教育支出": "205", "科学技术支出": "206", "文化旅游体育与传媒支出": "207",
    "社会保障和就业支出": "208", "社会保险基金支出": "209", "卫生健康支出": "210",
    "节能环保支出": "211", "城乡社区支出": "212", "农林水支出": "213", "交通运输支出": "214",
    "资源勘探工业信息等支出": "215", "商业服务业等支出": "216", "金融支出": "217",
    "援助其他地区支出": "219", "自然资源海洋气象等支出": "220", "住房保障支出": "221",
    "粮油物资储备支出": "222", "国有资本经营预算支出": "223", "灾害防治及应急管理支出": "224",
    "其他支出": "229", "债务还本支出": "231", "债务付息支出": "232", "债务发行费用支出": "233",
}

# What the text calls a column of the tables' 合计 row (R08): subject → measure.
TOTAL_COLUMNS = {"基本支出": "基本支出", "一般公共预算基本支出": "基本支出", "项目支出": "项目支出",
                 "人员经费": "人员经费", "公用经费": "公用经费", "日常公用经费": "公用经费"}
# Besides db/glossary.json "total_rows": words the text uses for the income / expenditure totals.
INCOME_TOTAL_WORDS = ("收入",)
SPENDING_TOTAL_WORDS = ("支出", "预算支出", "收支预算", "部门预算")

# “三公”经费: the total, its three items, and the vehicle subtotal's two parts. Each canonical
# name with the spellings tables and texts use for it.
SANGONG_TOTAL = "“三公”经费"
SANGONG_ABROAD = "因公出国（境）费"
SANGONG_VEHICLES = "公务用车购置及运行费"
SANGONG_PURCHASE = "公务用车购置费"
SANGONG_RUNNING = "公务用车运行维护费"
SANGONG_RECEPTION = "公务接待费"
SANGONG_NAMES = {
    SANGONG_TOTAL: ("“三公”经费合计", "“三公”经费", "三公经费", "\"三公\"经费", "“三公”经费小计", "三公经费合计"),
    SANGONG_ABROAD: ("因公出国（境）费", "因公出国(境)费", "因公出国（境）费用", "因公出国(境)费用", "因公出国(境)经费",
                     "因公出国（境）经费", "因公出国境费", "因公出(国)境费"),
    SANGONG_VEHICLES: ("公务用车购置及运行费", "公务用车购置及运行维护费", "公务用车购置及运维费", "公务用车费"),
    SANGONG_PURCHASE: ("公务用车购置费", "车辆购置费"),
    SANGONG_RUNNING: ("公务用车运行维护费", "公务用车运行费"),
    SANGONG_RECEPTION: ("公务接待费",),
}

# Words that give the reason for a change (R12). "因" alone, but not the 因 of 因公出国.
REASON_MARKERS = ("原因", "主要是", "主要由于", "由于", "因为", "所致", "导致")

# A text that says a table is empty (R14).
EMPTY_WORDS = ("空表", "表格为空", "本表无数据", "此表为空", "本表为空", "无数据", "无此项", "不涉及")

# Sections of the text that state figures for a part of the budget (the projects with
# performance targets, procurement, assets), not the table totals of the same name (R08).
PARTIAL_SECTIONS = ("绩效", "政府采购", "资产")

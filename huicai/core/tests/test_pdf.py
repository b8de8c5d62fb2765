"""The shared PDF builder embeds the CJK font and prints tables and charts in Chinese."""

from huicai.core.pdf import Document, text


def test_a_document_with_a_table_and_a_chart_is_a_pdf_with_the_chinese_font_embedded():
    doc = Document("沂水县窗口 · 第三季度备案")
    doc.meta("生成时间", "2026-10-08")
    doc.heading("汇总")
    doc.table(["类别", "件数"], [["直通服务", 12], ["申办", None]], widths=[3, 1])
    doc.bar_chart("按月办结", [("7月", 10), ("8月", 12.5), ("9月", 0)], unit="件")
    body = doc.render()
    assert body.startswith(b"%PDF")
    assert b"/FontFile" in body  # the font is embedded, not referenced
    assert b"/Type0" in body  # as a CID font, which CJK text needs


def test_values_print_in_chinese():
    assert [text(None), text(True), text(False), text(3)] == ["未登记", "是", "否", "3"]


def test_an_empty_table_says_none():
    doc = Document("空表")
    doc.table(["甲"], [])
    assert doc.render().startswith(b"%PDF")

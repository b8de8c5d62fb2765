"""Printable documents in Chinese: one small builder that archives, filings and reports share.

The font is Noto Sans CJK from PyPI (``cvttf-NotoSansCJK-Regular``, SIL Open Font License); fpdf2 embeds
it, subset to the characters used, so a document renders the same on any phone and the two README
commands need no system package.

    doc = Document("沂水县人才服务窗口 · 2026 年第三季度备案")
    doc.meta("生成时间", "2026-10-08 09:00")
    doc.heading("汇总")
    doc.table(["类别", "件数"], [["直通服务", 12], ["申办", 30]], widths=[3, 1])
    doc.bar_chart("按月办结件数", [("7月", 10), ("8月", 12), ("9月", 8)])
    body = doc.render()  # bytes, starts with %PDF
"""

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

FONT = "cjk"


@cache
def cjk_font_path() -> str:
    import cvttf_NotoSansCJK_Regular

    return str(Path(cvttf_NotoSansCJK_Regular.get_TTF_path()))


def text(value) -> str:
    """How a value prints: None as 未登记, booleans as 是/否, everything else as its str."""
    if value is None:
        return "未登记"
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


class Document:
    """An A4 portrait document: a title, key-value lines, headings, paragraphs, tables and bar charts."""

    def __init__(self, title: str, *, landscape: bool = False):
        from fpdf import FPDF

        self._pdf = FPDF(orientation="L" if landscape else "P", format="A4")
        self._pdf.set_auto_page_break(auto=True, margin=15)
        self._pdf.add_font(FONT, "", cjk_font_path())
        self._pdf.set_title(title)
        self._pdf.add_page()
        self._pdf.set_font(FONT, size=16)
        self._line(title, height=10)
        self._pdf.set_font(FONT, size=10)

    @property
    def width(self) -> float:
        return self._pdf.epw

    def _line(self, value: str, *, height: float = 6):
        self._pdf.multi_cell(0, height, value, new_x="LMARGIN", new_y="NEXT")

    def meta(self, label: str, value) -> None:
        self._pdf.set_font(FONT, size=9)
        self._line(f"{label}：{text(value)}", height=5)
        self._pdf.set_font(FONT, size=10)

    def heading(self, value: str) -> None:
        self._pdf.ln(3)
        self._pdf.set_font(FONT, size=13)
        self._line(value, height=8)
        self._pdf.set_font(FONT, size=10)

    def paragraph(self, value: str) -> None:
        self._line(value or "无")

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence], *, widths: Sequence[float] = ()
    ) -> None:
        """A table with a header row; long cells wrap. ``widths`` are relative (default: equal)."""
        from fpdf.fonts import FontFace

        rows = [[text(cell) for cell in row] for row in rows]
        if not rows:
            self.paragraph("无")
            return
        with self._pdf.table(
            col_widths=tuple(widths) or None,
            text_align="LEFT",
            line_height=5.5,
            first_row_as_headings=True,
            headings_style=FontFace(emphasis="", fill_color=(235, 238, 245)),
        ) as table:
            for row in [list(headers), *rows]:
                cells = table.row()
                for cell in row:
                    cells.cell(str(cell))

    def bar_chart(self, title: str, bars: Sequence[tuple[str, float]], *, unit: str = "") -> None:
        """Horizontal bars drawn as rectangles (no image library): label, bar, value."""
        self._pdf.set_font(FONT, size=11)
        self._line(title, height=7)
        self._pdf.set_font(FONT, size=9)
        if not bars:
            self.paragraph("无数据")
            return
        top = max((value for _, value in bars), default=0) or 1
        label_w, value_w = 40.0, 25.0
        bar_w = self.width - label_w - value_w
        for label, value in bars:
            if self._pdf.will_page_break(6):
                self._pdf.add_page()
            x, y = self._pdf.l_margin, self._pdf.get_y()
            self._pdf.cell(label_w, 6, str(label))
            self._pdf.set_fill_color(84, 112, 198)
            length = max(bar_w * float(value) / float(top), 0.3 if value else 0)
            if length:
                self._pdf.rect(x + label_w, y + 1, length, 4, style="F")
            self._pdf.set_xy(x + label_w + bar_w, y)
            self._pdf.cell(value_w, 6, f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}")
            self._pdf.ln(6)
        self._pdf.set_font(FONT, size=10)

    def page_break(self) -> None:
        self._pdf.add_page()

    def render(self) -> bytes:
        return bytes(self._pdf.output())

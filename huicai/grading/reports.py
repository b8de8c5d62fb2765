"""The reports to the leading group office (W17-3 yearly, W19 periodic): the draft's generated text, and the
PDF (``huicai.core.pdf``: tables and bar charts) and Excel workbook (openpyxl, one sheet per table) that
issuing keeps. The reports hold no personal data: windows, scores, grades and counts only.
"""

import hashlib
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.core.pdf import Document
from huicai.grading.choices import Grade, IndicatorCode, PeriodKind
from huicai.grading.indicators import INDICATORS, RENORMALISATION_RULE


def checksum(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def title_for(evaluation) -> str:
    if evaluation.kind == PeriodKind.YEAR:
        return _("临沂市高层次人才服务窗口 %(year)s 年度评估评价情况报告") % {"year": evaluation.year}
    return _("临沂市高层次人才服务窗口 %(year)s 年第 %(quarter)s 季度工作情况报告") % {
        "year": evaluation.year,
        "quarter": evaluation.quarter,
    }


def _grade_counts(results) -> dict:
    counts = {grade: 0 for grade in Grade.values}
    for result in results:
        if result.grade:
            counts[result.grade] += 1
    return counts


def draft_texts(evaluation, results) -> dict:
    """The generated first draft of each section, from the evaluation's figures."""
    counts = _grade_counts(results)
    graded = sum(counts.values())
    failing = [r for r in results if r.grade == Grade.FAIL]
    weak = {}
    for result in results:
        for code, figure in result.figures.items():
            if figure.get("score") is not None and float(figure["score"]) < 60:
                weak.setdefault(code, []).append(result.window.name)
    progress = _(
        "%(period)s，全市共 %(windows)s 个高层次人才服务窗口参加评估评价，其中 %(graded)s 个窗口有可计量的服务记录。"
        "评估依据评估指标体系第 %(rubric)s 版，按绿色通道服务事项落实和服务专员队伍建设两方面的 %(n)s 项指标计算。"
    ) % {
        "period": evaluation.period_label,
        "windows": len(results),
        "graded": graded,
        "rubric": evaluation.rubric.number,
        "n": len(evaluation.rubric.weights),
    }
    results_text = _("评定结果：优秀 %(e)s 个，良好 %(g)s 个，达标 %(p)s 个，不达标 %(f)s 个。") % {
        "e": counts[Grade.EXCELLENT],
        "g": counts[Grade.GOOD],
        "p": counts[Grade.PASS],
        "f": counts[Grade.FAIL],
    }
    if failing:
        results_text += _(
            "不达标窗口：%(names)s，已按规定约谈相关负责同志，并责成其在联席会议上作出说明。"
        ) % {"names": "、".join(r.window.name for r in failing)}
    lines = []
    for code, names in weak.items():
        lines.append(
            _("%(indicator)s偏低（%(names)s）：请相关窗口分析原因，制定整改措施，限期提升。")
            % {"indicator": IndicatorCode(code).label, "names": "、".join(names)}
        )
    suggestions = "\n".join(lines) or _("各项指标总体良好，请各窗口保持服务质效。")
    use_of_results = _(
        "建议将评估结果作为各级服务窗口和服务专员评先树优的重要依据；对评定为优秀的窗口予以通报表扬；"
        "对不达标窗口跟踪整改落实情况，整改期满后复核。"
    )
    return {
        "progress": progress,
        "results": results_text,
        "suggestions": suggestions,
        "use_of_results": use_of_results,
    }


def _score_text(value) -> str:
    return "—" if value is None else f"{value}"


def result_rows(results) -> list[list]:
    return [
        [
            r.window.name,
            r.window.get_level_display(),
            _score_text(r.score),
            f"{r.rank}/{r.rank_of}" if r.rank else "—",
            r.get_grade_display() or _("暂无数据"),
            _("是") if r.is_adjusted else "",
        ]
        for r in results
    ]


RESULT_HEADERS = ["窗口", "层级", "得分", "同级排名", "等级", "人工调整"]


def indicator_rows(evaluation, results) -> tuple[list[str], list[list]]:
    codes = list(evaluation.rubric.weights)
    headers = ["窗口", *(str(IndicatorCode(code).label) for code in codes)]
    rows = []
    for result in results:
        cells = [result.window.name]
        for code in codes:
            figure = result.figures.get(code) or {}
            if figure.get("value") is None:
                cells.append(str(_("暂无数据")))
            else:
                cells.append(f"{figure['score']}（{figure['numerator']}/{figure['denominator']}）")
        rows.append(cells)
    return headers, rows


def rubric_rows(evaluation) -> list[list]:
    return [
        [str(IndicatorCode(code).label), weight, str(INDICATORS[code].formula)]
        for code, weight in evaluation.rubric.weights.items()
    ]


def render_pdf(report, results) -> bytes:
    evaluation = report.evaluation
    doc = Document(report.title, landscape=True)
    doc.meta("报送单位", report.addressee)
    doc.meta("评估期间", f"{evaluation.start_date:%Y-%m-%d} 至 {evaluation.end_date:%Y-%m-%d}（不含）")
    doc.meta("印发时间", f"{timezone.localtime(report.issued_at):%Y-%m-%d %H:%M}")
    for _name, heading, text in report.sections():
        doc.heading(heading)
        for paragraph in (text or "").splitlines() or [""]:
            doc.paragraph(paragraph)
    doc.heading(_("附表一 各窗口得分、排名与等级"))
    doc.table(RESULT_HEADERS, result_rows(results), widths=[4, 2, 1.5, 1.5, 1.5, 1.5])
    scored = [(r.window.name, float(r.score)) for r in results if r.score is not None]
    if scored:
        doc.bar_chart(_("各窗口得分"), scored, unit="分")
    headers, rows = indicator_rows(evaluation, results)
    doc.heading(_("附表二 各项指标得分（分子/分母）"))
    doc.table(headers, rows)
    doc.heading(_("附表三 评估指标与计算方法（第 %(n)s 版）") % {"n": evaluation.rubric.number})
    doc.table(["指标", "权重", "计算方法"], rubric_rows(evaluation), widths=[2, 1, 8])
    doc.paragraph(str(RENORMALISATION_RULE))
    return doc.render()


def _cell(value):
    """Cell text that a spreadsheet will not run as a formula (CSV/Excel injection)."""
    value = "" if value is None else value
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _sheet(workbook, title, header, rows, *, first=False):
    from openpyxl.styles import Font

    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    return sheet


def render_xlsx(report, results) -> bytes:
    from openpyxl import Workbook

    evaluation = report.evaluation
    workbook = Workbook()
    _sheet(workbook, _("报告正文"), ["章节", "内容"], [[h, t] for _n, h, t in report.sections()], first=True)
    _sheet(workbook, _("得分与等级"), RESULT_HEADERS, result_rows(results))
    headers, rows = indicator_rows(evaluation, results)
    _sheet(workbook, _("指标得分"), headers, rows)
    _sheet(workbook, _("指标体系"), ["指标", "权重", "计算方法"], rubric_rows(evaluation))
    buffer = io.BytesIO()
    # A fixed creation time, so the same report renders to the same bytes.
    workbook.properties.created = timezone.localtime(report.issued_at).replace(tzinfo=None)
    workbook.properties.modified = workbook.properties.created
    workbook.save(buffer)
    return buffer.getvalue()

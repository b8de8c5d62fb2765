"""Reports (W17-3, W19): a draft from the evaluation, edited by the city, issued once as PDF and Excel."""

import hashlib
import io

import pytest
from openpyxl import load_workbook

from huicai.core.transitions import NotAllowed
from huicai.grading import actions
from huicai.grading.choices import ReportKind, ReportStatus
from huicai.grading.tests.conftest import evaluate


@pytest.fixture
def draft(g, published):
    return actions.draft_report(evaluation=published, by=g.world.zhou_min, at=g.at)


def test_the_draft_is_written_from_the_evaluation(g, draft):
    assert draft.kind == ReportKind.YEARLY
    assert draft.addressee == "市委人才工作领导小组办公室"
    assert "不达标 1 个" in draft.results
    assert "罗庄区高层次人才服务窗口" in draft.results
    assert "按时办结率偏低" in draft.suggestions


def test_a_draft_waits_for_publication(g):
    with pytest.raises(actions.GradingError) as error:
        actions.draft_report(evaluation=evaluate(g), by=g.world.zhou_min, at=g.at)

    assert error.value.messages == ["评估结果公布后才能起草报告。"]


def test_the_city_edits_the_draft(g, draft):
    sections = {
        "progress": "全市窗口运行平稳。",
        "results": draft.results,
        "suggestions": "加强督办。",
        "use_of_results": "",
    }

    report = actions.edit_report(
        draft, title="2026 年度报告", sections=sections, by=g.world.zhou_min, at=g.at
    )

    assert (report.title, report.progress, report.use_of_results) == (
        "2026 年度报告",
        "全市窗口运行平稳。",
        "",
    )


def test_issuing_keeps_the_pdf_and_the_workbook_with_their_checksums(g, draft):
    report = actions.issue_report(draft, by=g.world.zhou_min, at=g.at)

    assert report.status == ReportStatus.ISSUED
    assert bytes(report.pdf).startswith(b"%PDF")
    assert report.pdf_sha256 == hashlib.sha256(bytes(report.pdf)).hexdigest()
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    assert workbook.sheetnames == ["报告正文", "得分与等级", "指标得分", "指标体系"]
    rows = list(workbook["得分与等级"].iter_rows(values_only=True))
    assert ("兰山区高层次人才服务窗口", "县区窗口", "100.00", "1/2", "优秀", None) in rows
    assert report.file_intact("xlsx")


def test_an_issued_report_never_changes(g, draft):
    report = actions.issue_report(draft, by=g.world.zhou_min, at=g.at)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.edit_report(report, title="改", sections={}, by=g.world.zhou_min, at=g.at)
    assert error.value.messages == ["报告已印发，不能修改。"]
    with pytest.raises(actions.InvalidTransition):
        actions.issue_report(report, by=g.world.zhou_min, at=g.at)


def test_a_window_may_not_draft_a_report(g, published):
    with pytest.raises(NotAllowed):
        actions.draft_report(evaluation=published, by=g.gao_feng, at=g.at)


def test_a_tampered_file_is_not_handed_out(g, draft, login):
    report = actions.issue_report(draft, by=g.world.zhou_min, at=g.at)
    type(report).objects.filter(pk=report.pk).update(pdf=b"%PDF-1.4 altered")

    response = login(g.world.zhou_min).get(f"/grading/reports/{report.pk}/download/pdf/")

    assert response.status_code == 409
    assert "报告文件校验失败" in response.content.decode()

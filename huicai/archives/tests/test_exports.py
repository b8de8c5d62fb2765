"""The archive as PDF and Excel: the same entries as the page, with the filters, audited as exports."""

import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from huicai.archives import export, timeline
from huicai.archives.tests.conftest import DAY
from huicai.core.models import AuditEvent
from huicai.testing import force_login


@pytest.fixture
def now(history):
    with time_machine.travel(history.world.at + 7 * DAY, tick=False):
        yield history.world.at + 7 * DAY


def exports(talent):
    return AuditEvent.objects.filter(
        kind=AuditEvent.Kind.EXPORT, object_type="talents.talent", object_id=str(talent.pk)
    ).order_by("id")


def test_a_window_officer_downloads_the_pdf_under_a_reason_and_the_export_is_audited(history, now, client):
    world = history.world
    force_login(client, world.chen_jing)
    client.post(
        reverse("archives:reason", args=[history.talent.pk]), {"purpose": "filing", "note": "一季度备案"}
    )

    response = client.get(reverse("archives:export_pdf", args=[history.talent.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="archive-{history.talent.pk}-20260309.pdf"'
    )
    body = response.content
    assert body.startswith(b"%PDF")
    assert b"NotoSansCJK" in body and b"FontFile" in body  # the CJK font travels inside the file
    event = exports(history.talent).get()
    assert event.actor == world.chen_jing
    assert event.detail.startswith("archive pdf; window; reason #")


def test_the_workbook_has_a_timeline_sheet_and_one_sheet_per_kind(history, now, client):
    force_login(client, history.world.li_ming_user)

    response = client.get(reverse("archives:export_xlsx", args=[history.talent.pk]))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["时间线", *[str(label) for label in timeline.KINDS.values()], "档案信息"]
    rows = list(workbook["时间线"].iter_rows(values_only=True))
    expected = timeline.entries(history.talent, viewer=history.world.li_ming_user)
    assert rows[0] == ("时间", "类别", "事项", "详情", "编号")
    assert [row[2] for row in rows[1:]] == [entry.title for entry in expected]
    services = list(workbook["直接服务"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[2], row[4]) for row in services] == [
        ("直接服务", "直接服务：出入境证件办理咨询", "YM2026000001")
    ]
    assert services[0][0].strftime("%Y-%m-%d %H:%M") == "2026-03-03 17:00"  # local time
    about = dict(workbook["档案信息"].iter_rows(values_only=True))
    assert about["人才"] == "李明"
    assert about["证件号码"] == history.talent.id_number_masked  # never the full number
    assert exports(history.talent).get().detail == "archive xlsx; talent; period –; kind all"


def test_an_export_with_a_kind_keeps_that_kind_and_its_sheet_only(history, now, client):
    force_login(client, history.world.wang_fang)

    response = client.get(reverse("archives:export_xlsx", args=[history.talent.pk]), {"kind": "difficulty"})

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["时间线", "困难和意见建议", "档案信息"]
    titles = [row[2] for row in workbook["时间线"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["困难问题：登记"]


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text(history):
    entry = timeline.Entry(at=history.world.at, kind="record", title='=HYPERLINK("http://x")', detail="+1")

    workbook = load_workbook(
        io.BytesIO(
            export.archive_workbook(
                history.talent,
                [entry],
                kinds=["record"],
                generated_at=history.world.at,
                period="全部",
                viewer_name="x",
            )
        )
    )

    row = next(workbook["时间线"].iter_rows(min_row=2, values_only=True))
    assert row[2] == '\'=HYPERLINK("http://x")'
    assert row[3] == "'+1"

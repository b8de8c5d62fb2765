"""The exchange pages, as window staff use them: upload, dry run in the worker, confirm, history."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from huicai.core.models import AuditEvent
from huicai.exchange import files
from huicai.exchange.choices import BatchStatus
from huicai.exchange.kinds import KINDS
from huicai.exchange.models import ImportBatch
from huicai.talents.models import Talent


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    # The worker's tasks run in the request here; the queued path is the same task functions.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def xlsx_upload(rows, name="人才.xlsx"):
    return SimpleUploadedFile(name, files.write_xlsx(KINDS["talents"], rows))


def upload(client, rows, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:upload"), {"kind": "talents", "file": xlsx_upload(rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("pk")


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world):
    response = client.get(reverse("exchange:home"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_unit_commissioner_may_not_import(login, world):
    response = login(world.wang_fang).get(reverse("exchange:home"))

    assert response.status_code == 403


def test_an_upload_is_dry_run_then_written_only_when_confirmed(
    login, world, talent_row, django_capture_on_commit_callbacks
):
    client = login(world.chen_jing)

    batch = upload(client, [talent_row(1), talent_row(2)], django_capture_on_commit_callbacks)
    page = client.get(reverse("exchange:batch", args=[batch.pk]))

    assert batch.status == BatchStatus.PLANNED
    assert batch.counts == {"create": 2, "update": 0, "unchanged": 0, "error": 0}
    assert not Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).exists()
    assert "确认导入" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:confirm", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert batch.confirmed_by == world.chen_jing
    assert Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).exists()
    assert batch.changes.count() == 2


def test_a_file_with_errors_is_not_written_unless_skipping_them_is_chosen(
    login, world, talent_row, django_capture_on_commit_callbacks
):
    client = login(world.chen_jing)
    batch = upload(client, [talent_row(1), talent_row(2, 手机号码="123")], django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("exchange:confirm", args=[batch.pk]), follow=True)
    batch.refresh_from_db()

    assert batch.status == BatchStatus.PLANNED
    assert "明确选择“跳过错误行”" in refused.content.decode()
    assert not Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:confirm", args=[batch.pk]), {"skip_errors": "on"})
    batch.refresh_from_db()

    assert batch.status == BatchStatus.DONE
    assert batch.counts["error"] == 1
    assert Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).exists()


def test_the_batch_page_polls_while_the_worker_runs(login, world, talent_row, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = login(world.chen_jing)
    client.post(reverse("exchange:upload"), {"kind": "talents", "file": xlsx_upload([talent_row(1)])})
    batch = ImportBatch.objects.latest("pk")

    response = client.get(reverse("exchange:batch", args=[batch.pk]), headers={"HX-Request": "true"})

    assert batch.status == BatchStatus.UPLOADED
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert "<progress" in response.content.decode()


def test_another_countys_window_cannot_see_a_batch(
    login, world, talent_row, django_capture_on_commit_callbacks
):
    batch = upload(login(world.chen_jing), [talent_row(1)], django_capture_on_commit_callbacks)

    response = login(world.sun_lei).get(reverse("exchange:batch", args=[batch.pk]))

    assert response.status_code == 404


def test_the_history_lists_who_imported_which_file(
    login, world, talent_row, django_capture_on_commit_callbacks
):
    client = login(world.chen_jing)
    batch = upload(client, [talent_row(1)], django_capture_on_commit_callbacks)

    page = client.get(reverse("exchange:home")).content.decode()

    assert batch.sha256 and batch.file.name.startswith("imports/")
    assert "人才.xlsx" in page
    assert "陈静" in page


def test_the_per_row_report_downloads_as_a_spreadsheet(
    login, world, talent_row, django_capture_on_commit_callbacks
):
    client = login(world.chen_jing)
    batch = upload(client, [talent_row(1, 人才类别="Z")], django_capture_on_commit_callbacks)

    response = client.get(reverse("exchange:report", args=[batch.pk]))

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][3:] == ("人才类别", "找不到该人才类别，请填写类别代码或名称。")


def test_a_revealing_export_is_audited_as_such(login, world):
    client = login(world.chen_jing)

    response = client.post(reverse("exchange:export", args=["talents"]), {"reveal": "1", "format": "csv"})

    assert world.li_ming.id_number in response.content.decode("utf-8-sig")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert (event.actor, event.detail) == (world.chen_jing, "exchange:talents:revealed:csv")


def test_a_masked_export_holds_no_full_id_number(login, world):
    response = login(world.chen_jing).get(reverse("exchange:export", args=["talents"]))

    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == world.li_ming.id_number_masked


def test_the_template_downloads_with_its_instruction_sheet(login, world):
    response = login(world.chen_jing).get(reverse("exchange:template", args=["cards"]))

    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["惠才卡", "填写说明"]


def upload_quietly(world, row):
    from huicai.exchange import actions

    actions.create_batch(kind="talents", uploaded=xlsx_upload([row]), by=world.chen_jing, at=world.at)


def test_the_history_page_costs_the_same_queries_for_one_batch_or_many(
    login, world, talent_row, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = login(world.chen_jing)
    upload_quietly(world, talent_row(1))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("exchange:home"))
    upload_quietly(world, talent_row(2))
    upload_quietly(world, talent_row(3))

    with django_assert_num_queries(len(one)):
        client.get(reverse("exchange:home"))


def test_a_link_cannot_reveal_full_id_numbers(login, world):
    response = login(world.chen_jing).get(
        reverse("exchange:export", args=["talents"]), {"reveal": "1", "format": "csv"}
    )

    assert world.li_ming.id_number not in response.content.decode("utf-8-sig")
    assert world.li_ming.id_number_masked in response.content.decode("utf-8-sig")

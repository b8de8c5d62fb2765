"""The same import from the command line and over the API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from huicai.exchange import files
from huicai.exchange.choices import BatchStatus
from huicai.exchange.kinds import KINDS
from huicai.exchange.models import ImportBatch
from huicai.talents.models import Talent


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def talents_file(tmp_path, talent_row):
    def _file(rows, encoding="gb18030"):
        path = tmp_path / "talents.csv"
        headers = list(rows[0])
        lines = [",".join(headers)] + [",".join(row[h] for h in headers) for row in rows]
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return path

    return _file


def test_import_data_dry_run_writes_nothing_but_is_in_the_history(world, talent_row, talents_file):
    out = io.StringIO()

    call_command(
        "import_data",
        "talents",
        str(talents_file([talent_row(1)])),
        "--user",
        "chen_jing",
        "--dry-run",
        stdout=out,
    )

    assert "新增 1" in out.getvalue()
    assert not Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).exists()
    assert ImportBatch.objects.get().status == BatchStatus.PLANNED


def test_import_data_writes_a_clean_file(world, talent_row, talents_file):
    call_command(
        "import_data",
        "talents",
        str(talents_file([talent_row(1)])),
        "--user",
        "chen_jing",
        stdout=io.StringIO(),
    )

    assert Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).exists()
    assert ImportBatch.objects.get().status == BatchStatus.DONE


def test_import_data_refuses_a_file_with_errors_and_names_them(world, talent_row, talents_file):
    out = io.StringIO()
    path = talents_file([talent_row(1), talent_row(2, 人才类别="Z")])

    with pytest.raises(CommandError):
        call_command("import_data", "talents", str(path), "--user", "chen_jing", stdout=out)

    assert "第3行 【人才类别】找不到该人才类别" in out.getvalue()
    assert not Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).exists()


def test_import_data_skips_error_rows_when_told(world, talent_row, talents_file):
    path = talents_file([talent_row(1), talent_row(2, 人才类别="Z")])

    call_command(
        "import_data", "talents", str(path), "--user", "chen_jing", "--skip-errors", stdout=io.StringIO()
    )

    assert Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).exists()


def test_the_api_uploads_plans_and_confirms_an_import(
    world, talent_row, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    api = APIClient()
    api.force_authenticate(world.chen_jing)
    upload = SimpleUploadedFile("t.xlsx", files.write_xlsx(KINDS["talents"], [talent_row(1)]))

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/imports/", {"kind": "talents", "file": upload}, format="multipart")
    batch_id = created.json()["id"]
    planned = api.get(f"/api/v1/imports/{batch_id}/", {"report": "1"}).json()
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/api/v1/imports/{batch_id}/confirm/", {}, format="multipart")
    done = api.get(f"/api/v1/imports/{batch_id}/").json()

    assert created.status_code == 202
    assert planned["status"] == "planned"
    assert planned["report"]["rows"][0]["status"] == "create"
    assert done["status"] == "done"
    assert Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).exists()


def test_the_api_hides_another_countys_batch_and_refuses_non_window_staff(world, talent_row):
    batch = ImportBatch.objects.create(
        kind="talents",
        created_by=world.chen_jing,
        window=world.windows["兰山区"],
        created_at=world.at,
        original_name="t.csv",
        extension="csv",
        sha256="0" * 64,
        size=1,
    )
    outsider, unit = APIClient(), APIClient()
    outsider.force_authenticate(world.sun_lei)
    unit.force_authenticate(world.wang_fang)

    assert outsider.get(f"/api/v1/imports/{batch.pk}/").status_code == 404
    assert unit.get("/api/v1/imports/").status_code == 403


def test_the_api_exports_rows_by_header_masked_by_default(world):
    api = APIClient()
    api.force_authenticate(world.chen_jing)

    data = api.get("/api/v1/exchange/talents/").json()

    assert data["headers"] == KINDS["talents"].headers
    assert data["rows"][0]["公民身份号码"] == world.li_ming.id_number_masked

"""The windows' pages and API for the provincial sync: anonymous to the login page, anyone but window
staff 404, a county window its own subtree, downloads masked unless revealed (and then audited)."""

import io
import json

import pytest
from openpyxl import load_workbook

from huicai.core.masking import mask_id_number, mask_phone
from huicai.core.models import AuditEvent
from huicai.provsync import actions
from huicai.provsync.choices import BatchStatus
from huicai.provsync.models import ProvincialBatch, Reconciliation
from huicai.provsync.tests.test_reconciliation import province_row, xlsx

PAGES = ["/provsync/", "/provsync/changes/?since=0&format=jsonl"]


@pytest.fixture
def captured(world):
    actions.capture_changes(at=world.at)
    return world


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world, url):
    response = client.get(url)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_a_unit_commissioner_gets_a_404(login, world, url):
    assert login(world.wang_fang).get(url).status_code == 404


def test_the_page_shows_the_county_windows_outbox_and_the_province_cursor(login, captured):
    page = login(captured.chen_jing).get("/provsync/").content.decode()

    assert "本辖区变更条数</dt><dd>2</dd>" in page
    assert "省级系统已确认到</dt><dd>序号 0</dd>" in page
    assert "未配置省级系统接收地址" in page


def test_a_download_is_masked_and_holds_only_the_windows_subtree(login, captured):
    body = b"".join(
        login(captured.chen_jing).get("/provsync/changes/?since=0&format=jsonl").streaming_content
    )

    entries = [json.loads(line) for line in body.decode().splitlines()]
    talents = [e["row"] for e in entries if e["kind"] == "talents"]
    assert [row["姓名"] for row in talents] == ["李明"]
    assert talents[0]["公民身份号码"] == mask_id_number(captured.li_ming.id_number)
    assert talents[0]["手机号码"] == mask_phone(captured.li_ming.mobile)
    assert captured.li_ming.id_number not in body.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_a_download_after_a_cursor_holds_only_later_changes(login, captured):
    client = login(captured.zhou_min)
    first = b"".join(client.get("/provsync/changes/?since=0&format=jsonl").streaming_content).decode()
    last_seq = json.loads(first.splitlines()[-1])["seq"]

    later = b"".join(client.get(f"/provsync/changes/?since={last_seq}&format=jsonl").streaming_content)

    assert len(first.splitlines()) == 3 and later == b""


def test_a_revealed_xlsx_download_has_the_full_values_and_is_audited(login, captured):
    response = login(captured.chen_jing).get("/provsync/changes/?since=0&format=xlsx&reveal=on")

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook["高层次人才"].iter_rows(values_only=True))
    assert rows[0][4:] == (
        "姓名",
        "公民身份号码",
        "手机号码",
        "人才类别",
        "用人单位统一社会信用代码",
        "属地窗口",
        "单位专员账号",
    )
    assert rows[1][4:7] == ("李明", captured.li_ming.id_number, captured.li_ming.mobile)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.actor == captured.chen_jing


def test_a_county_window_may_not_resend_the_citys_batch_but_the_city_window_may(login, captured, settings):
    settings.HUICAI_PROVINCE_SYNC_URL = "https://province.invalid/"
    batch = actions.queue_batch(at=captured.at)
    ProvincialBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED)

    refused = login(captured.chen_jing).post(f"/provsync/batches/{batch.pk}/resend/")
    allowed = login(captured.zhou_min).post(f"/provsync/batches/{batch.pk}/resend/")

    assert refused.status_code == 403
    assert allowed.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PENDING and batch.resends == 1


def test_an_uploaded_list_gives_a_report_page_another_county_cannot_open(login, world):
    client = login(world.chen_jing)

    response = client.post("/provsync/reconciliations/", {"file": xlsx([province_row(world, world.li_ming)])})

    reconciliation = Reconciliation.objects.get()
    assert response["Location"] == f"/provsync/reconciliations/{reconciliation.pk}/"
    assert reconciliation.counts["same"] == 1
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"{response['Location']}report.xlsx").status_code == 200
    assert login(world.sun_lei).get(response["Location"]).status_code == 404
    assert login(world.zhou_min).get(response["Location"]).status_code == 200


def test_the_api_pages_the_outbox_from_a_cursor(login, captured):
    client = login(captured.zhou_min)

    first = client.get("/api/v1/province-changes/?since=0&limit=2").json()
    rest = client.get(f"/api/v1/province-changes/?since={first['next']}").json()

    assert len(first["results"]) == 2 and len(rest["results"]) == 1
    assert rest["results"][0]["seq"] > first["next"]
    assert captured.li_ming.id_number not in json.dumps(first, ensure_ascii=False)


def test_the_api_is_a_404_for_anyone_but_window_staff(login, captured):
    assert login(captured.wang_fang).get("/api/v1/province-changes/").status_code == 404
    assert login(captured.wang_fang).get("/api/v1/province-batches/").status_code == 404


def test_the_page_and_the_api_ask_the_same_number_of_queries_however_long_the_outbox(
    login, captured, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(captured.zhou_min)
    client.get("/provsync/")  # warm the session and the scope
    with django_assert_max_num_queries(30) as page_queries:
        client.get("/provsync/")
    with django_assert_max_num_queries(30) as api_queries:
        client.get("/api/v1/province-changes/?since=0")
    from huicai.talents.models import Talent

    # Counted now: the captured list is read from the connection's log, which the next request clears.
    page_count, api_count = len(page_queries), len(api_queries)
    for number in range(5):
        Talent.objects.filter(pk=captured.liu_yang.pk).update(name=f"刘洋{number}")
        actions.capture_changes(at=captured.at)
    client.post("/provsync/reconciliations/", {"file": xlsx([province_row(captured, captured.li_ming)])})
    client.post("/provsync/reconciliations/", {"file": xlsx([province_row(captured, captured.liu_yang)])})

    with django_assert_num_queries(page_count, info="N+1 on the page"):
        client.get("/provsync/")
    with django_assert_num_queries(api_count, info="N+1 in the API"):
        response = client.get("/api/v1/province-changes/?since=0")
    assert len(response.json()["results"]) == 8

"""The filing pages: the list and the tree with fixed query counts, a filing's page with its versions and
checksum, the steps through the forms, the downloads, and bad input as clear 4xx answers."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from huicai.core.identifiers import make_mobile, make_resident_id
from huicai.core.models import AuditEvent
from huicai.filings import actions, periods
from huicai.filings.choices import FilingKind, FilingStatus
from huicai.filings.tests.conftest import APRIL_1, open_unit, open_window
from huicai.talents.models import Talent
from huicai.testing import force_login


def test_the_list_costs_the_same_for_one_filing_or_many(client, tree, django_assert_max_num_queries):
    world = tree.world
    force_login(client, world.zhou_min)
    open_unit(world)
    client.get("/filings/")  # warm the session and the calendar
    with django_assert_max_num_queries(12) as few:
        client.get("/filings/")
    for month in range(1, 13):
        open_unit(world, period=periods.parse(f"2025-{month:02d}"))
        open_unit(world, post=world.qian_hui_post, period=periods.parse(f"2025-{month:02d}"))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/filings/")

    assert response.status_code == 200
    assert "共 25 条" in response.content.decode()


def test_the_list_filters_what_is_mine_and_what_was_filed_with_me(client, tree):
    world = tree.world
    actions.file_filing(open_window(tree.park), by=tree.ma_li, at=APRIL_1)
    open_window(tree.lanshan)
    force_login(client, world.chen_jing)

    mine = client.get("/filings/?box=mine").context["page"]
    incoming = client.get("/filings/?box=incoming").context["page"]

    assert [f.filer_window for f in mine] == [tree.lanshan]
    assert [f.filer_window for f in incoming] == [tree.park]


def test_the_list_filters_a_period_and_the_window_filed_with_and_explains_a_bad_period(client, tree):
    world = tree.world
    march = open_unit(world)
    open_unit(world, period=periods.parse("2026-04"))
    open_unit(world, post=world.qian_hui_post)  # filed with 罗庄区
    force_login(client, world.zhou_min)

    quarter = client.get(f"/filings/?kind=unit&period=2026-Q1&window={tree.lanshan.pk}").context["page"]
    bad = client.get("/filings/?period=2026-13")

    assert [f.pk for f in quarter] == [march.pk]
    assert "期间月份不正确。" in bad.content.decode()


def test_a_talent_has_no_filings_page(client, world):
    force_login(client, world.li_ming_user)

    assert client.get("/filings/").status_code == 403


def test_the_draft_page_previews_what_the_data_says(client, world):
    filing = open_unit(world)
    force_login(client, world.wang_fang)

    response = client.get(filing.get_absolute_url())

    page = response.content.decode()
    assert "草稿预览" in page and "李明" in page
    assert "锁定快照并报送" in page


def test_the_filer_files_and_the_parent_returns_and_accepts_through_the_pages(client, login, world):
    filing = open_unit(world)
    wang, chen = login(world.wang_fang), login(world.chen_jing)

    wang.post(
        f"/filings/{filing.pk}/file/",
        {"remarks-remarks": "三月服务一次。", "remarks-version": filing.version},
    )
    filing.refresh_from_db()
    chen.post(
        f"/filings/{filing.pk}/return/",
        {"return-reason": "请写明服务成效。", "return-version": filing.version},
    )
    filing.refresh_from_db()
    wang.post(
        f"/filings/{filing.pk}/refile/",
        {"remarks-remarks": "落户一次办结。", "remarks-version": filing.version},
    )
    filing.refresh_from_db()
    chen.post(f"/filings/{filing.pk}/accept/", {"accept-version": filing.version})

    filing.refresh_from_db()
    assert (filing.status, filing.current_number) == (FilingStatus.ACCEPTED, 2)
    page = chen.get(f"{filing.get_absolute_url()}?v=1").content.decode()
    assert "只读的历史版本" in page and "请写明服务成效。" in page
    assert filing.versions.get(number=1).checksum in page
    assert "校验一致" in page


def test_returning_without_a_reason_shows_the_error_and_changes_nothing(client, world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    force_login(client, world.chen_jing)

    response = client.post(f"/filings/{filing.pk}/return/", {"return-reason": ""}, follow=True)

    assert "请填写退回原因。" in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.FILED


def test_a_stale_form_is_refused_with_a_message(client, world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    stale = filing.version
    actions.return_filing(filing, reason="请补充。", by=world.chen_jing, at=APRIL_1)
    force_login(client, world.chen_jing)

    response = client.post(f"/filings/{filing.pk}/accept/", {"accept-version": stale}, follow=True)

    assert "该记录已被他人修改" in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED


@pytest.mark.parametrize(
    "path",
    ["/filings/999999/", "/filings/{pk}/v9.xlsx", "/filings/{pk}/v1.docx", "/filings/{pk}/?v=7"],
)
def test_bad_ids_in_urls_are_404s(client, world, path):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    force_login(client, world.chen_jing)

    response = client.get(path.format(pk=filing.pk))

    assert response.status_code == 404


def test_a_version_that_is_not_a_number_is_refused_with_a_message(client, world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    force_login(client, world.chen_jing)

    response = client.post(f"/filings/{filing.pk}/accept/", {"accept-version": "abc"}, follow=True)

    assert response.status_code == 200
    assert "整数" in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.FILED


def test_an_unknown_step_is_a_404(client, world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    force_login(client, world.chen_jing)

    assert client.post(f"/filings/{filing.pk}/publish/").status_code == 404


def test_the_excel_and_pdf_downloads_are_the_frozen_snapshot_and_are_audited(client, world):
    filing = actions.file_filing(open_unit(world), remarks="三月。", by=world.wang_fang, at=APRIL_1)
    version = filing.versions.get()
    force_login(client, world.chen_jing)

    excel = client.get(f"/filings/{filing.pk}/v1.xlsx")
    pdf = client.get(f"/filings/{filing.pk}/v1.pdf")

    assert excel.status_code == pdf.status_code == 200
    book = load_workbook(io.BytesIO(excel.content))
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(values_only=True)}
    assert overview["SHA-256 校验值"] == version.checksum
    assert overview["报送说明"] == "三月。"
    assert [row[1] for row in book["人才"].iter_rows(min_row=2, values_only=True)] == ["李明"]
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, object_id=str(filing.pk)).count() == 2


def test_the_tree_shows_each_windows_status_for_the_quarter(client, tree, django_assert_max_num_queries):
    world = tree.world
    park = actions.file_filing(open_window(tree.park), by=tree.ma_li, at=APRIL_1)
    actions.accept_filing(park, by=world.chen_jing, at=APRIL_1)
    actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    open_window(tree.lanshan)
    open_window(tree.lanshan, kind=FilingKind.ANNUAL, period=periods.parse("2026"))
    force_login(client, world.zhou_min)
    client.get("/filings/tree/?period=2026-Q1")

    with django_assert_max_num_queries(14):
        response = client.get("/filings/tree/?period=2026-Q1")

    rows = {row["window"].pk: row for row in response.context["rows"]}
    assert rows[tree.park.pk]["quarterly"].status == FilingStatus.ACCEPTED
    assert rows[tree.lanshan.pk]["quarterly"].status == FilingStatus.DRAFT
    assert rows[tree.lanshan.pk]["annual"].kind == FilingKind.ANNUAL
    assert (rows[tree.lanshan.pk]["unit_due"], rows[tree.lanshan.pk]["unit_filed"]) == (1, 1)
    assert rows[tree.city.pk]["quarterly"] is None
    assert "临沂商城园区高层次人才服务窗口" in response.content.decode()


def test_a_county_sees_only_its_subtree_in_the_tree(client, tree):
    force_login(client, tree.world.chen_jing)

    response = client.get("/filings/tree/?period=2026-Q1")

    assert {row["window"].pk for row in response.context["rows"]} == {tree.lanshan.pk, tree.park.pk}


def test_the_tree_costs_the_same_for_a_big_tree(client, tree, django_assert_max_num_queries):
    world = tree.world
    force_login(client, world.zhou_min)
    client.get("/filings/tree/?period=2026-Q1")
    with django_assert_max_num_queries(14) as few:
        client.get("/filings/tree/?period=2026-Q1")
    for month in (1, 2, 3):
        open_unit(world, period=periods.parse(f"2026-{month:02d}"))
    for window in (tree.lanshan, tree.luozhuang, tree.park):
        open_window(window)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/filings/tree/?period=2026-Q1")


def test_a_bad_period_is_a_400_with_a_chinese_message(client, world):
    force_login(client, world.zhou_min)

    response = client.get("/filings/tree/?period=2026-Q7")

    assert response.status_code == 400
    assert "期间格式不正确" in response.content.decode()


def test_a_unit_commissioner_has_no_tree(client, world):
    force_login(client, world.wang_fang)

    assert client.get("/filings/tree/").status_code == 403


def test_the_menu_offers_filings_to_staff_only(client, world):
    force_login(client, world.wang_fang)
    assert 'href="/filings/"' in client.get("/filings/").content.decode()

    force_login(client, world.li_ming_user)
    assert 'href="/filings/"' not in client.get("/notifications/").content.decode()


def test_a_filings_page_costs_the_same_for_one_talent_or_many(client, tree, django_assert_max_num_queries):
    """The snapshot's talents are paged; only the page's names are checked against the viewer's sight."""
    world = tree.world
    small = actions.file_filing(open_window(tree.lanshan), by=world.chen_jing, at=APRIL_1)
    force_login(client, world.zhou_min)
    client.get(small.get_absolute_url())
    with django_assert_max_num_queries(40) as few:
        client.get(small.get_absolute_url())
    Talent.objects.bulk_create(
        Talent(
            name=f"测试{n}",
            id_number=make_resident_id("371302", datetime.date(1980, 1, 1), 200 + n),
            category=world.category_b,
            employer=world.linyi_pharma,
            home_window=tree.lanshan,
            mobile=make_mobile(70000000 + n),
        )
        for n in range(60)
    )
    large = open_window(tree.lanshan, kind=FilingKind.ANNUAL, period=periods.parse("2026"))
    large = actions.file_filing(large, by=world.chen_jing, at=APRIL_1.replace(year=2027))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(large.get_absolute_url())

    assert large.versions.get().talent_count == 61
    assert "共 61 条" in response.content.decode()

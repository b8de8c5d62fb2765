"""Staff pages of the filing workflow: anonymous → login, outsider → 404, wrong role → 403, allowed → ok;
transitions are POSTs that redirect after success and never end in a 500."""

import pytest

from huicai.catalogue import actions
from huicai.catalogue.choices import FilingStatus
from huicai.catalogue.tests.conftest import LATER, application_fields


def user_of(world, persona):
    return world.li_ming_user if persona == "li_ming" else getattr(world, persona)


# (persona, expected status) for reading the 兰山区 draft's staff page.
DRAFT_READERS = [
    (None, 302),  # anonymous: to the login page
    ("li_ming", 403),  # a talent: no catalogue role
    ("wang_fang", 403),  # a unit commissioner: no catalogue role
    ("sun_lei", 404),  # 罗庄区 window: outsider
    ("zhao_qiang", 404),  # 市公安局: the item names another department
    ("chen_jing", 200),  # the drafting window
    ("zhou_min", 200),  # the city window above it
    ("admin", 200),
]


@pytest.mark.parametrize("persona, status", DRAFT_READERS)
def test_who_may_read_a_county_draft(world, client, login, county_item, persona, status):
    if persona:
        client = login(user_of(world, persona))

    response = client.get(f"/catalogue/staff/{county_item.pk}/")

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "persona, status",
    [(None, 302), ("li_ming", 403), ("sun_lei", 404), ("zhou_min", 403), ("chen_jing", 200)],
)
def test_only_the_drafting_window_opens_the_edit_form(world, client, login, county_item, persona, status):
    if persona:
        client = login(user_of(world, persona))

    response = client.get(f"/catalogue/staff/{county_item.pk}/edit/")

    assert response.status_code == status


def test_the_drafting_window_edits_and_a_new_version_is_made(world, login, county_item):
    client = login(world.chen_jing)
    data = {
        "code": county_item.code,
        "name": county_item.name,
        "category": county_item.category,
        "mode": county_item.mode,
        "department": county_item.department_id,
        "legal_days": "20",
        "committed_days": "8",
        "visit_count": "1",
        "materials": "居民身份证｜必交｜1｜原件核验\n劳动合同",
        "steps": "网上申请\n审核\n拨付",
        "fees": "不收费",
        "reason": "压缩时限，减少材料",
    }

    response = client.post(f"/catalogue/staff/{county_item.pk}/edit/", data)

    assert response.status_code == 302
    latest = county_item.versions.order_by("-number").first()
    assert (latest.number, latest.committed_days, latest.material_count, latest.reason) == (
        2,
        8,
        2,
        "压缩时限，减少材料",
    )
    assert [m["key"] for m in latest.data["materials"]] == ["M01", "M02"]


def test_a_window_files_its_draft_with_a_post_and_is_redirected(world, login, county_item):
    client = login(world.chen_jing)

    response = client.post(f"/catalogue/staff/{county_item.pk}/file/", {"note": "请备案"})

    assert response.status_code == 302
    assert response["Location"] == f"/catalogue/staff/{county_item.pk}/"
    county_item.refresh_from_db()
    assert county_item.status == FilingStatus.FILED


def test_the_filing_pages_only_accept_posts(world, login, county_item):
    client = login(world.chen_jing)

    response = client.get(f"/catalogue/staff/{county_item.pk}/file/")

    assert response.status_code == 405


def test_an_outsider_gets_404_when_posting_to_another_windows_draft(world, login, filed_item):
    client = login(world.sun_lei)

    response = client.post(f"/catalogue/staff/{filed_item.pk}/acknowledge/")

    assert response.status_code == 404
    filed_item.refresh_from_db()
    assert filed_item.status == FilingStatus.FILED


def test_the_drafting_window_gets_403_acknowledging_its_own_filing(world, login, filed_item):
    client = login(world.chen_jing)

    response = client.post(f"/catalogue/staff/{filed_item.pk}/acknowledge/")

    assert response.status_code == 403
    filed_item.refresh_from_db()
    assert filed_item.status == FilingStatus.FILED


def test_a_refused_transition_is_a_message_not_a_500(world, login, county_item):
    client = login(world.zhou_min)

    response = client.post(f"/catalogue/staff/{county_item.pk}/acknowledge/", follow=True)

    assert response.status_code == 200
    assert "只有已报备的事项可以确认备案。" in response.content.decode()


# --- 待备案事项 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [(None, 302), ("li_ming", 403), ("zhao_qiang", 403), ("chen_jing", 200), ("zhou_min", 200)],
)
def test_who_may_open_the_filing_list(world, client, login, persona, status):
    if persona:
        client = login(user_of(world, persona))

    response = client.get("/catalogue/staff/filings/")

    assert response.status_code == status


def test_the_city_window_sees_what_the_counties_filed_and_a_county_does_not(world, login, filed_item):
    city = login(world.zhou_min).get("/catalogue/staff/filings/").content.decode()
    county = login(world.chen_jing).get("/catalogue/staff/filings/").content.decode()

    assert "兰山区人才安家补贴申领" in city
    assert "兰山区人才安家补贴申领" not in county


def test_the_city_window_acknowledges_from_the_filing_list(world, login, filed_item):
    client = login(world.zhou_min)

    response = client.post(
        f"/catalogue/staff/{filed_item.pk}/acknowledge/", {"note": "同意", "next": "filings"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/catalogue/staff/filings/"
    filed_item.refresh_from_db()
    assert filed_item.status == FilingStatus.ACKNOWLEDGED
    assert filed_item.events.order_by("-id").first().note == "同意"


def test_the_city_window_returns_from_the_filing_list_with_a_reason(world, login, filed_item):
    client = login(world.zhou_min)

    response = client.post(
        f"/catalogue/staff/{filed_item.pk}/return/", {"reason": "请补充法律依据", "next": "filings"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/catalogue/staff/filings/"
    filed_item.refresh_from_db()
    assert filed_item.status == FilingStatus.RETURNED


def test_returning_without_a_reason_changes_nothing(world, login, filed_item):
    client = login(world.zhou_min)

    response = client.post(f"/catalogue/staff/{filed_item.pk}/return/", {"reason": ""}, follow=True)

    assert "退回时请填写退回原因。" in response.content.decode()
    filed_item.refresh_from_db()
    assert filed_item.status == FilingStatus.FILED


def file_many(world, count):
    for number in range(count):
        item = actions.create_item(
            window=world.windows["兰山区"],
            by=world.chen_jing,
            at=world.at,
            **application_fields(world, code=f"LS-T-{number:03d}", name=f"兰山测试事项{number:03d}"),
        )
        actions.file_item(item, by=world.chen_jing, at=world.at + LATER)


@pytest.mark.parametrize("count", [2, 30])
def test_the_filing_list_takes_the_same_queries_however_many_items(
    world, login, django_assert_num_queries, count
):
    file_many(world, count)
    client = login(world.zhou_min)

    # session, user, scope (talent, posts), count, rows, unread count, session save (3 with savepoint)
    with django_assert_num_queries(10):
        response = client.get("/catalogue/staff/filings/")

    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 30])
def test_the_staff_list_takes_the_same_queries_however_many_items(
    world, login, django_assert_num_queries, count
):
    file_many(world, count)
    client = login(world.chen_jing)

    # as the filing list, plus "may this user draft?"
    with django_assert_num_queries(11):
        response = client.get("/catalogue/staff/", {"status": "filed"})

    assert response.status_code == 200
    assert f"共 {count} 项" in response.content.decode()


def test_the_staff_list_refuses_an_overlong_search_calmly(world, login, county_item):
    client = login(world.chen_jing)

    response = client.get("/catalogue/staff/", {"q": "%" * 10_000})

    assert response.status_code == 200
    page = response.content.decode()
    assert "搜索词不能超过100个字。" in page
    assert county_item.name not in page


def test_the_staff_list_finds_by_name_or_code(world, login, county_item, city_item):
    client = login(world.zhou_min)

    page = client.get("/catalogue/staff/", {"q": "LS-ZF"}).content.decode()

    assert county_item.name in page
    assert city_item.name not in page

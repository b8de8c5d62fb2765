"""The archive pages: who opens them (the permissions matrix), the reason staff state first, the audit of
every view, the filters, the pages and what they cost in queries."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from huicai.archives.choices import Purpose
from huicai.archives.models import ArchiveReason
from huicai.archives.tests.conftest import DAY
from huicai.core.models import AuditEvent
from huicai.directservices.tests.conftest import serve
from huicai.testing import force_login


def archive_url(talent, **query):
    url = reverse("archives:talent", args=[talent.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def state_reason(client, talent, *, purpose=Purpose.SERVICE, note="核实一季度服务记录"):
    return client.post(reverse("archives:reason", args=[talent.pk]), {"purpose": purpose, "note": note})


def archive_reads(talent):
    return AuditEvent.objects.filter(
        object_type="talents.talent", object_id=str(talent.pk), detail__startswith="archive "
    ).order_by("id")


@pytest.fixture
def now(history):
    """The clock a week after the history began (Monday 9 March 2026, 17:00 in Linyi)."""
    with time_machine.travel(history.world.at + 7 * DAY, tick=False):
        yield history.world.at + 7 * DAY


# --- who opens an archive ----------------------------------------------------------------------------

# persona -> what they get when they open li_ming's archive: 200 (open), "reason" (sent to state one), 404.
MATRIX = {
    "li_ming_user": 200,  # the talent himself
    "wang_fang": 200,  # his current unit commissioner
    "qian_hui": 404,  # another talent's unit commissioner
    "chen_jing": "reason",  # his home window (兰山区)
    "zhou_min": "reason",  # the city window above it
    "sun_lei": 404,  # another county's window (罗庄区)
    "zhao_qiang": 404,  # 市公安局: handled his task, sees his talent page, not his archive
    "admin": "reason",  # the system administrator
}


@pytest.mark.parametrize(("persona", "expected"), MATRIX.items())
def test_who_opens_the_archive_and_who_must_first_say_why(history, now, client, persona, expected):
    force_login(client, getattr(history.world, persona))

    response = client.get(archive_url(history.talent))

    if expected == "reason":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("archives:reason", args=[history.talent.pk]))
    else:
        assert response.status_code == expected
    for export in ("archives:export_pdf", "archives:export_xlsx"):
        exported = client.get(reverse(export, args=[history.talent.pk]))
        assert exported.status_code == (302 if expected == "reason" else expected)


def test_a_former_unit_commissioner_no_longer_opens_the_archive(history, now, client):
    from huicai.commissioners.actions import appoint_commissioner, assign_unit_commissioner
    from huicai.commissioners.choices import PostKind
    from huicai.testing import make_user

    world = history.world
    successor = appoint_commissioner(
        user=make_user("zhang_li", "张丽"),
        kind=PostKind.UNIT,
        organisation=world.linyi_pharma,
        by=world.admin,
        at=world.at,
    )
    assign_unit_commissioner(world.li_ming, post=successor, by=world.chen_jing, at=now, reason="王芳调岗")

    assert force_login(client, world.wang_fang).get(archive_url(history.talent)).status_code == 404
    assert force_login(client, successor.user).get(archive_url(history.talent)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(history, client):
    response = client.get(archive_url(history.talent))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_talent_is_not_found(history, now, client):
    force_login(client, history.world.chen_jing)

    assert client.get(reverse("archives:talent", args=[999999])).status_code == 404
    assert client.get(reverse("archives:reason", args=[999999])).status_code == 404


def test_staff_have_no_archive_of_their_own(history, client):
    force_login(client, history.world.chen_jing)

    assert client.get(reverse("archives:mine")).status_code == 403


# --- the reason staff state --------------------------------------------------------------------------


def test_a_window_officer_states_a_reason_and_then_reads_the_archive_under_it(history, now, client):
    world = history.world
    force_login(client, world.chen_jing)

    stated = state_reason(client, history.talent, purpose=Purpose.FILING, note="一季度档案备案")
    page = client.get(archive_url(history.talent))

    assert stated.status_code == 302
    assert stated["Location"] == archive_url(history.talent)
    reason = ArchiveReason.objects.get()
    assert (reason.user, reason.talent, reason.purpose, reason.note) == (
        world.chen_jing,
        world.li_ming,
        Purpose.FILING,
        "一季度档案备案",
    )
    assert reason.expires_at - reason.stated_at == datetime.timedelta(minutes=30)
    assert page.status_code == 200
    body = page.content.decode()
    assert "查阅事由：档案整理和备案报送（一季度档案备案）" in body
    assert "直接服务：出入境证件办理咨询" in body
    read = archive_reads(history.talent).get()
    assert read.kind == AuditEvent.Kind.REVEAL
    assert read.actor == world.chen_jing
    assert read.detail == f"archive view; window; reason #{reason.pk} filing; period –; kind all"
    assert "一季度档案备案" not in read.detail  # the officer's own words stay in the reason row


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"purpose": "service", "note": ""}, "请说明查阅该人才档案的具体事由。"),
        ({"purpose": "service", "note": "   "}, "请说明查阅该人才档案的具体事由。"),
        ({"purpose": "curiosity", "note": "看看"}, "请选择查阅事由。"),
        ({"note": "看看"}, "请选择查阅事由。"),
        ({"purpose": "service", "note": "很" * 201}, "事由说明不能超过 200 个字。"),
    ],
)
def test_an_incomplete_reason_is_refused_with_its_message_and_opens_nothing(
    history, now, client, data, message
):
    force_login(client, history.world.chen_jing)

    response = client.post(reverse("archives:reason", args=[history.talent.pk]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ArchiveReason.objects.exists()
    assert client.get(archive_url(history.talent)).status_code == 302
    assert not archive_reads(history.talent).exists()


def test_a_reason_lapses_after_half_an_hour(history, now, client):
    force_login(client, history.world.chen_jing)
    state_reason(client, history.talent)

    with time_machine.travel(now + datetime.timedelta(minutes=29), tick=False):
        assert client.get(archive_url(history.talent)).status_code == 200
    with time_machine.travel(now + datetime.timedelta(minutes=30), tick=False):
        lapsed = client.get(archive_url(history.talent))

    # Still signed in (the session was used a minute ago), but the reason no longer lets her in.
    assert lapsed.status_code == 302
    assert lapsed["Location"].startswith(reverse("archives:reason", args=[history.talent.pk]))


def test_a_reason_that_lapses_while_paging_sends_the_whole_page_to_the_form(history, now, client):
    force_login(client, history.world.chen_jing)
    state_reason(client, history.talent)

    with time_machine.travel(now + datetime.timedelta(minutes=20), tick=False):
        client.get(archive_url(history.talent))  # keeps the session alive
    with time_machine.travel(now + datetime.timedelta(minutes=31), tick=False):
        response = client.get(archive_url(history.talent, page=2), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("archives:reason", args=[history.talent.pk]))


def test_a_reason_for_one_talent_opens_no_other_archive(history, now, client):
    world = history.world
    force_login(client, world.zhou_min)
    state_reason(client, world.li_ming)

    other = client.get(archive_url(world.liu_yang))

    assert other.status_code == 302
    assert other["Location"].startswith(reverse("archives:reason", args=[world.liu_yang.pk]))


def test_the_reason_page_sends_the_talent_and_the_unit_commissioner_straight_to_the_archive(
    history, now, client
):
    for user in (history.world.li_ming_user, history.world.wang_fang):
        force_login(client, user)

        response = client.get(reverse("archives:reason", args=[history.talent.pk]))

        assert response.status_code == 302
        assert response["Location"] == archive_url(history.talent)
    assert not ArchiveReason.objects.exists()


def test_staff_sent_to_state_a_reason_come_back_to_the_filters_they_asked_for(history, now, client):
    force_login(client, history.world.chen_jing)
    asked = archive_url(history.talent, kind="rating", start="2026-03-01")

    sent = client.get(asked)
    stated = client.post(sent["Location"], {"purpose": "service", "note": "核实"})

    assert stated["Location"] == asked


def test_the_reason_page_leads_back_only_into_the_archive(history, now, client):
    force_login(client, history.world.chen_jing)
    url = reverse("archives:reason", args=[history.talent.pk])

    away = client.post(f"{url}?next=https://evil.example/", {"purpose": "service", "note": "核实"})
    back = client.post(
        f"{url}?next={archive_url(history.talent)}%3Fkind%3Drating", {"purpose": "service", "note": "核实"}
    )

    assert away["Location"] == archive_url(history.talent)
    assert back["Location"] == archive_url(history.talent) + "?kind=rating"


# --- the talent and the unit commissioner ------------------------------------------------------------


def test_the_talent_reads_their_own_archive_without_article_numbers_and_the_reading_is_audited(
    history, now, client
):
    world = history.world
    force_login(client, world.li_ming_user)

    page = client.get(reverse("archives:mine"))

    assert page.status_code == 200
    body = page.content.decode()
    assert "我的服务档案" in body
    assert "直接服务：出入境证件办理咨询" in body
    assert not re.search(r"\b[WS]\d{1,2}\b", body)  # staff see article numbers; talents never
    read = archive_reads(history.talent).get()
    assert (read.actor, read.kind, read.detail) == (
        world.li_ming_user,
        AuditEvent.Kind.REVEAL,
        "archive view; talent; period –; kind all",
    )


def test_the_unit_commissioner_reads_without_a_reason_and_is_audited_as_such(history, now, client):
    force_login(client, history.world.wang_fang)

    assert client.get(archive_url(history.talent)).status_code == 200

    assert archive_reads(history.talent).get().detail.startswith("archive view; unit;")


def test_the_talents_access_log_lists_who_read_their_archive(history, now, client):
    from huicai.privacy.access import access_log

    force_login(client, history.world.chen_jing)
    state_reason(client, history.talent)
    client.get(archive_url(history.talent))

    assert [event.actor for event in access_log(history.talent)] == [history.world.chen_jing]


# --- filters and pages -------------------------------------------------------------------------------


def test_the_filters_keep_one_kind_within_a_period(history, now, client):
    force_login(client, history.world.wang_fang)

    page = client.get(archive_url(history.talent, start="2026-03-03", end="2026-03-05"))
    only_ratings = client.get(archive_url(history.talent, kind="rating"))

    body = page.content.decode()
    assert "直接服务：出入境证件办理咨询" in body
    assert "困难问题：登记" in body  # 5 March: the end day is included
    assert "状态调度" not in body.split('id="archive-list"')[1]
    assert "办理结果" not in body.split('id="archive-list"')[1]
    ratings_list = only_ratings.content.decode().split('id="archive-list"')[1]
    assert "服务评价：高层次人才落户" in ratings_list
    assert "直接服务" not in ratings_list
    assert archive_reads(history.talent).last().detail.endswith("period –; kind rating")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13-01"}, "请输入有效的日期。"),
        ({"start": "2026-03-05", "end": "2026-03-01"}, "开始日期不能晚于结束日期。"),
        ({"kind": "everything"}, "请选择有效的类别。"),
    ],
)
def test_bad_filters_are_a_clear_error_and_read_nothing(history, now, client, query, message):
    force_login(client, history.world.wang_fang)

    response = client.get(archive_url(history.talent, **query))
    export = client.get(reverse("archives:export_pdf", args=[history.talent.pk]), query)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert export.status_code == 400
    assert not archive_reads(history.talent).exists()


def test_the_archive_is_paged_newest_first_and_htmx_gets_the_list_alone(history, now, client):
    world = history.world
    for day in range(25):
        serve(history.direct, at=world.at + datetime.timedelta(hours=2, minutes=day))
    force_login(client, world.wang_fang)

    first = client.get(archive_url(history.talent))
    second = client.get(archive_url(history.talent, page=2), HTTP_HX_REQUEST="true")

    first_page = first.content.decode()
    assert "第 1 / " in first_page
    assert first_page.index("状态调度") < first_page.index("困难问题")  # 7 March before 5 March
    assert first_page.count('class="archive-entry ') == 20
    assert "<html" not in second.content.decode()
    assert "第 2 / " in second.content.decode()


def test_a_page_of_the_archive_costs_the_same_queries_however_long_the_history(
    history, now, client, django_assert_num_queries
):
    world = history.world
    force_login(client, world.chen_jing)
    state_reason(client, history.talent)
    client.get(archive_url(history.talent))  # warm the session and the calendar

    expected = QUERIES + (connection.vendor == "postgresql")
    with django_assert_num_queries(expected):
        short = client.get(archive_url(history.talent))
    for minute in range(30):
        serve(history.direct, at=world.at + datetime.timedelta(hours=2, minutes=minute))
    with django_assert_num_queries(expected):
        long = client.get(archive_url(history.talent))

    assert short.status_code == long.status_code == 200


# Session, user and scope (4), the talent, the reason, one per source (15; the unit reports' second query,
# which of them the viewer may open, runs only when there are some), the audit row (5 on SQLite; on
# PostgreSQL one more, its advisory lock), the unread badge and the session's save (4).
QUERIES = 31


# --- the links to the archive ------------------------------------------------------------------------


def test_the_talent_page_links_to_the_archive_for_those_who_may_open_it(history, now, client):
    link = f'href="{archive_url(history.talent)}"'
    detail = reverse("talents:detail", args=[history.talent.pk])

    window_page = force_login(client, history.world.chen_jing).get(detail).content.decode()
    department_page = force_login(client, history.world.zhao_qiang).get(detail)

    assert link in window_page
    assert "查阅前须说明事由" in window_page
    assert department_page.status_code == 200
    assert link not in department_page.content.decode()


def test_the_talents_home_page_links_to_their_archive(history, now, client):
    force_login(client, history.world.li_ming_user)

    home = client.get(reverse("workbench:talent"))

    assert f'href="{reverse("archives:mine")}"' in home.content.decode()


def test_the_menu_offers_my_archive_to_talents_only(history, client):
    link = f'href="{reverse("archives:mine")}"'
    inbox = reverse("notifications:inbox")

    talent_menu = force_login(client, history.world.li_ming_user).get(inbox).content.decode()
    staff_menu = force_login(client, history.world.chen_jing).get(inbox).content.decode()

    assert link in talent_menu
    assert link not in staff_menu

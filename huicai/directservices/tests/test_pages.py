"""The counter page, the lists and the appointment pages: who may use them, what they show, what they
refuse, and a bounded number of queries however long the lists."""

import datetime

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory

from huicai.core.models import AuditEvent
from huicai.directservices import actions
from huicai.directservices.cards import MAX_FAILED_LOOKUPS, card_qr_payload
from huicai.directservices.models import Appointment, DirectService
from huicai.directservices.tests.conftest import book, local, serve
from huicai.talents.actions import change_card_status

NOW = local(2026, 3, 3, 10, 0)  # Tuesday morning in Linyi, the day after the world was set up
RECORD = "/direct/record/"


def look_up(client, card="", id_number=""):
    return client.post(RECORD, {"step": "lookup", "lookup-card": card, "lookup-id_number": id_number})


def record(client, **fields):
    data = {
        "step": "record",
        "card": "YM2026000001",
        "item": "LY-GA-901",
        "place": "公安窗口",
        "outcome": "served",
    }
    data.update(fields)
    return client.post(RECORD, data)


def test_the_counter_is_for_serving_commissioners_only(direct, login, client):
    world = direct.world

    assert client.get(RECORD).status_code == 302
    assert login(world.li_ming_user).get(RECORD).status_code == 403
    assert login(world.wang_fang).get(RECORD).status_code == 403
    assert login(world.zhao_qiang).get(RECORD).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_a_card_look_up_shows_masked_data_and_is_audited(direct, login):
    world = direct.world
    client = login(world.zhao_qiang)

    response = look_up(client, card="YM2026000001")

    content = response.content.decode()
    assert response.status_code == 200
    assert world.li_ming.id_number_masked in content
    assert world.li_ming.id_number not in content
    assert world.li_ming.mobile not in content
    assert "LY-GA-901 出入境证件办理咨询" in content
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.REVEAL)
    assert (event.actor, event.object_id, event.detail) == (
        world.zhao_qiang,
        str(world.li_ming.pk),
        "card_lookup:card",
    )


@time_machine.travel(NOW, tick=False)
def test_a_qr_payload_and_an_id_number_find_the_talent_too(direct, login):
    world = direct.world
    client = login(world.chen_jing)

    by_qr = look_up(client, card=card_qr_payload(world.li_ming_card))
    by_id = look_up(client, id_number=world.li_ming.id_number)

    assert by_qr.status_code == by_id.status_code == 200
    assert "李明" in by_qr.content.decode() and "李明" in by_id.content.decode()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("card", ["YM2099999999", "HUICAI-CARD:YM2026000001:0000000000000000", "???"])
def test_an_unknown_number_or_forged_code_finds_nothing_and_is_audited(direct, login, card):
    client = login(direct.world.zhao_qiang)

    response = look_up(client, card=card)

    assert response.status_code == 404
    assert "未找到该人才卡或人员" in response.content.decode()
    assert "李明" not in response.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, detail="card_lookup").count() == 1


@time_machine.travel(NOW, tick=False)
def test_too_many_failed_look_ups_are_refused_even_for_a_real_card(direct, login):
    client = login(direct.world.zhao_qiang)
    for serial in range(MAX_FAILED_LOOKUPS):
        look_up(client, card=f"YM20990000{serial:02d}")

    response = look_up(client, card="YM2026000001")

    assert response.status_code == 429
    assert "查询失败次数过多" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_recording_on_the_counter_saves_and_redirects(direct, login):
    client = login(direct.world.zhao_qiang)

    response = record(client, note="现场答复")

    assert response.status_code == 302
    assert response["Location"] == "/direct/services/"
    service = DirectService.objects.get()
    assert (service.talent, service.place, service.note) == (direct.world.li_ming, "公安窗口", "现场答复")


@time_machine.travel(NOW, tick=False)
def test_a_revoked_card_is_refused_on_the_page_with_its_reason(direct, login):
    world = direct.world
    change_card_status(world.li_ming_card, status="revoked", by=world.chen_jing, at=world.at)

    response = record(login(world.zhao_qiang))

    assert response.status_code == 400
    assert "该人才卡已撤销" in response.content.decode()
    assert not DirectService.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_another_departments_item_is_refused_next_to_the_item(direct, login):
    response = record(login(direct.world.zhao_qiang), item="LY-JT-901")

    assert response.status_code == 403
    assert "不属于您所在的部门或承办机构" in response.content.decode()
    assert not DirectService.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_missing_reason_is_shown_next_to_its_field(direct, login):
    response = record(login(direct.world.zhao_qiang), outcome="not_served")

    assert response.status_code == 400
    assert "未能服务时须填写原因。" in response.content.decode()
    assert not DirectService.objects.exists()


@pytest.mark.parametrize("count", [1, 6])
def test_the_service_list_takes_the_same_queries_however_many_rows(
    direct, login, django_assert_num_queries, count
):
    for _ in range(count):
        serve(direct)
    client = login(direct.world.chen_jing)

    with django_assert_num_queries(11):
        response = client.get("/direct/services/")

    assert response.status_code == 200
    assert response.content.decode().count("出入境证件办理咨询") == count


def test_the_service_list_is_scoped(direct, login):
    serve(direct)
    world = direct.world

    assert "出入境证件办理咨询" in login(world.li_ming_user).get("/direct/services/").content.decode()
    assert "出入境证件办理咨询" in login(world.wang_fang).get("/direct/services/").content.decode()
    assert "出入境证件办理咨询" not in login(world.sun_lei).get("/direct/services/").content.decode()
    assert "出入境证件办理咨询" not in login(world.he_ping).get("/direct/services/").content.decode()


def test_the_talent_page_partial_lists_the_services_the_viewer_may_see(direct):
    world = direct.world
    serve(direct, note="内部备注")
    template = Template("{% load directservices %}{% talent_direct_services talent %}")

    def render(user):
        request = RequestFactory().get("/")
        request.user = user
        return template.render(Context({"request": request, "talent": world.li_ming}))

    assert "出入境证件办理咨询" in render(world.li_ming_user)
    assert "出入境证件办理咨询" not in render(world.sun_lei)
    assert "暂无直接服务记录" in render(world.sun_lei)


# --- appointments ------------------------------------------------------------------------------------


def booking(day="2026-03-04", start="10:00", end="10:30", **extra):
    return {"item": "LY-GA-901", "service_date": day, "start_time": start, "end_time": end, **extra}


@time_machine.travel(NOW, tick=False)
def test_the_talent_books_on_the_page(direct, login):
    world = direct.world
    client = login(world.li_ming_user)
    post = world.zhao_qiang.posts.get()

    response = client.post(
        "/direct/appointments/new/", booking(talent=world.li_ming.pk, post=post.pk, note="护照加急")
    )

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/direct/appointments/{appointment.pk}/"
    assert (appointment.talent, appointment.post, appointment.note) == (world.li_ming, post, "护照加急")


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "data, message",
    [
        (booking(day="2026-04-06"), "2026-04-06不是工作日"),
        (booking(start="07:30", end="08:00"), "预约时间须在办公时间08:30—17:30之内。"),
        (booking(day="2026-03-01"), "预约时间须晚于当前时间。"),
        (booking(start="11:00", end="10:00"), "结束时间须晚于开始时间。"),
    ],
)
def test_a_bad_slot_is_refused_on_the_page(direct, login, data, message):
    world = direct.world
    data.update(talent=world.li_ming.pk, post=world.zhao_qiang.posts.get().pk)

    response = login(world.li_ming_user).post("/direct/appointments/new/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Appointment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_booking_both_a_post_and_a_window_is_refused(direct, login):
    world = direct.world
    data = booking(
        talent=world.li_ming.pk, post=world.zhao_qiang.posts.get().pk, window=world.windows["兰山区"].pk
    )

    response = login(world.li_ming_user).post("/direct/appointments/new/", data)

    assert response.status_code == 400
    assert "请选择预约的服务专员或服务窗口（二选一）。" in response.content.decode()


def test_commissioners_cannot_open_the_booking_page(direct, login):
    assert login(direct.world.zhao_qiang).get("/direct/appointments/new/").status_code == 403
    assert login(direct.world.li_ming_user).get("/direct/appointments/new/").status_code == 200
    assert login(direct.world.wang_fang).get("/direct/appointments/new/").status_code == 200


@pytest.fixture
def appointment(direct):
    return book(direct, start=local(2026, 3, 4, 10))


@pytest.mark.parametrize("persona", ["qian_hui", "sun_lei", "he_ping"])
def test_outsiders_get_404_on_an_appointment(direct, appointment, login, persona):
    client = login(getattr(direct.world, persona))

    assert client.get(f"/direct/appointments/{appointment.pk}/").status_code == 404
    assert (
        client.post(f"/direct/appointments/{appointment.pk}/cancel/", {"cancel-reason": "x"}).status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["li_ming_user", "wang_fang", "zhao_qiang", "chen_jing", "zhou_min"])
def test_those_concerned_see_the_appointment(direct, appointment, login, persona):
    assert (
        login(getattr(direct.world, persona)).get(f"/direct/appointments/{appointment.pk}/").status_code
        == 200
    )


@time_machine.travel(NOW, tick=False)
def test_the_commissioner_confirms_on_the_page_and_the_talent_cannot(direct, appointment, login):
    world = direct.world
    url = f"/direct/appointments/{appointment.pk}/confirm/"

    talent = login(world.li_ming_user).post(url, {"confirm-version": 1})
    window = login(world.chen_jing).post(url, {"confirm-version": 1})
    commissioner = login(world.zhao_qiang).post(url, {"confirm-version": 1, "confirm-note": "请准时到"})

    assert (talent.status_code, window.status_code, commissioner.status_code) == (403, 403, 302)
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"


@time_machine.travel(NOW, tick=False)
def test_declining_without_a_reason_shows_the_error_and_changes_nothing(direct, appointment, login):
    response = login(direct.world.zhao_qiang).post(
        f"/direct/appointments/{appointment.pk}/decline/", {"decline-version": 1, "decline-reason": ""}
    )

    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "requested"


@time_machine.travel(NOW, tick=False)
def test_the_talent_cancels_and_a_second_cancel_is_explained(direct, appointment, login):
    client = login(direct.world.li_ming_user)
    url = f"/direct/appointments/{appointment.pk}/cancel/"

    first = client.post(url, {"cancel-version": 1, "cancel-reason": "临时出差"})
    second = client.post(url, {"cancel-version": 2, "cancel-reason": "再取消"}, follow=True)

    assert first.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_reason) == ("cancelled", "临时出差")
    assert "不能执行此操作" in second.content.decode()


def test_the_commissioner_completes_on_the_day(direct, appointment, login):
    world = direct.world
    actions.confirm_appointment(appointment, by=world.zhao_qiang, at=world.at)

    with time_machine.travel(local(2026, 3, 4, 10, 5), tick=False):
        response = login(world.zhao_qiang).post(
            f"/direct/appointments/{appointment.pk}/complete/",
            {"complete-version": 2, "complete-place": "公安窗口", "complete-outcome": "served"},
        )

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "completed"
    assert appointment.direct_service.place == "公安窗口"


@pytest.mark.parametrize("count", [1, 6])
def test_the_appointment_list_takes_the_same_queries_however_many_rows(
    direct, login, django_assert_num_queries, count
):
    for hour in range(count):
        book(direct, start=local(2026, 3, 4, 9) + datetime.timedelta(hours=hour))
    client = login(direct.world.li_ming_user)

    # 11: the menu asks once whether the talent heads a department (supervision's board entry).
    with django_assert_num_queries(11):
        response = client.get("/direct/appointments/")

    assert response.status_code == 200
    assert response.content.decode().count("出入境证件办理咨询") == count


@time_machine.travel(NOW, tick=False)
def test_the_booking_page_lists_only_the_commissioners_who_provide_the_chosen_service(direct, login):
    world = direct.world
    client = login(world.li_ming_user)
    police_post = world.zhao_qiang.posts.get()
    hospital_post = world.he_ping.posts.get()
    window_post = world.chen_jing.posts.get()

    def offered(query):
        page = client.get(f"/direct/appointments/new/{query}").content.decode()
        options = page[page.index('id="post-field"') : page.index('id="id_window"')]
        return {post for post in (police_post, hospital_post, window_post) if f'value="{post.pk}"' in options}

    assert offered("") == set()
    assert offered("?item=LY-GA-901") == {police_post, window_post}
    assert offered("?item=LY-YL-901") == {hospital_post, window_post}


@time_machine.travel(NOW, tick=False)
def test_booking_a_commissioner_who_does_not_provide_the_service_is_a_form_error(direct, login):
    world = direct.world

    response = login(world.li_ming_user).post(
        "/direct/appointments/new/", booking(talent=world.li_ming.pk, post=world.he_ping.posts.get().pk)
    )

    assert response.status_code == 400
    assert 'id="post-field"' in response.content.decode()
    assert not Appointment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_choosing_the_item_reloads_the_commissioner_list_through_htmx(direct, login):
    page = login(direct.world.li_ming_user).get("/direct/appointments/new/").content.decode()

    assert 'hx-get="/direct/appointments/new/"' in page and 'hx-select="#post-field"' in page

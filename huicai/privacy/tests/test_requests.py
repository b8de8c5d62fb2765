"""A talent asks their home window to correct, delete or restrict their data; the window answers in time."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from huicai.core.models import AuditEvent
from huicai.privacy import actions
from huicai.privacy.choices import Outcome, RequestKind, RequestStatus
from huicai.privacy.jobs import SCHEDULE, flag_overdue_requests
from huicai.privacy.models import DataRequest
from huicai.workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db


def file(world, kind=RequestKind.CORRECTION, details="手机号码已更换"):
    return actions.file_request(world.li_ming, kind=kind, details=details, by=world.li_ming_user, at=world.at)


def test_a_request_goes_to_the_talents_home_window_due_in_15_working_days(world):
    data_request = file(world)

    assert data_request.window == world.windows["兰山区"]
    assert data_request.due_date == add_working_days(world.today, 15)
    assert data_request.status == RequestStatus.OPEN
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.PRIVACY_REQUEST, object_id=str(data_request.pk)
    ).exists()


def test_the_deadline_follows_the_setting(world, settings):
    settings.HUICAI_PRIVACY_REQUEST_WORKING_DAYS = 5

    data_request = file(world)

    assert data_request.due_date == add_working_days(world.today, 5)


def test_only_the_talent_may_file_a_request_about_their_data(world):
    with pytest.raises(PermissionDenied, match="只有人才本人"):
        actions.file_request(
            world.li_ming, kind=RequestKind.DELETION, details="删除", by=world.wang_fang, at=world.at
        )


def test_a_request_without_details_is_refused(world):
    with pytest.raises(ValidationError, match="请说明"):
        file(world, details="  ")


def test_the_home_window_answers_a_deletion_by_restricting_what_must_be_kept(world):
    data_request = file(world, kind=RequestKind.DELETION, details="请删除我的申办记录")
    later = world.at + datetime.timedelta(days=2)

    actions.answer_request(
        data_request,
        outcome=Outcome.RESTRICTED,
        answer="申办档案须保存，已限制处理",
        by=world.chen_jing,
        at=later,
    )

    data_request.refresh_from_db()
    assert data_request.status == RequestStatus.ANSWERED
    assert data_request.outcome == Outcome.RESTRICTED
    assert data_request.answered_by == world.chen_jing
    assert list(data_request.events.values_list("to_status", flat=True)) == ["open", "answered"]
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.PRIVACY_REQUEST, actor=world.chen_jing, detail="answered restricted"
    ).exists()
    assert world.li_ming_user.notifications.filter(kind="privacy_answered").exists()


def test_the_city_window_above_may_answer_too(world):
    data_request = file(world)

    actions.answer_request(
        data_request, outcome=Outcome.DONE, answer="已更正", by=world.zhou_min, at=world.at
    )

    assert DataRequest.objects.get().status == RequestStatus.ANSWERED


def test_another_countys_window_may_not_answer(world):
    data_request = file(world)

    with pytest.raises(PermissionDenied, match="只有人才属地窗口"):
        actions.answer_request(
            data_request, outcome=Outcome.DONE, answer="已更正", by=world.sun_lei, at=world.at
        )


def test_the_talent_may_not_answer_their_own_request(world):
    data_request = file(world)

    with pytest.raises(PermissionDenied, match="只有人才属地窗口"):
        actions.answer_request(
            data_request, outcome=Outcome.DONE, answer="已更正", by=world.li_ming_user, at=world.at
        )


def test_a_request_is_answered_once(world):
    data_request = file(world)
    actions.answer_request(
        data_request, outcome=Outcome.DONE, answer="已更正", by=world.chen_jing, at=world.at
    )

    with pytest.raises(actions.InvalidTransition, match="已答复"):
        actions.answer_request(
            data_request, outcome=Outcome.REFUSED, answer="不", by=world.chen_jing, at=world.at
        )


def test_the_scheduled_job_flags_an_overdue_request_once(world):
    data_request = file(world)
    after_deadline = datetime.datetime.combine(
        data_request.due_date + datetime.timedelta(days=1), datetime.time(9), tzinfo=datetime.UTC
    )

    first = flag_overdue_requests(at=after_deadline)
    second = flag_overdue_requests(at=after_deadline)

    assert first == {"flagged": 1}
    assert second == {"flagged": 0}
    data_request.refresh_from_db()
    assert data_request.overdue_flagged_at == after_deadline


def test_the_job_leaves_a_request_on_its_last_day_alone(world):
    data_request = file(world)
    on_deadline = datetime.datetime.combine(data_request.due_date, datetime.time(9), tzinfo=datetime.UTC)

    assert flag_overdue_requests(at=on_deadline) == {"flagged": 0}


def test_the_job_is_on_the_projects_schedule():
    from huicai.schedule import all_jobs

    assert SCHEDULE[0].name in {job.name for job in all_jobs()}


def test_the_window_sees_the_request_in_its_queue_and_an_outsider_gets_404(world, login):
    data_request = file(world)

    own = login(world.chen_jing).get(reverse("privacy:requests"))
    outsider = login(world.sun_lei).get(reverse("privacy:request", args=[data_request.pk]))
    outsider_list = login(world.sun_lei).get(reverse("privacy:requests"))

    assert "李明" in own.content.decode()
    assert outsider.status_code == 404
    assert "李明" not in outsider_list.content.decode()


def test_the_window_answers_through_the_page(world, login):
    data_request = file(world)

    response = login(world.chen_jing).post(
        reverse("privacy:request", args=[data_request.pk]), {"outcome": "done", "answer": "已更正手机号码"}
    )

    assert response.status_code == 302
    data_request.refresh_from_db()
    assert data_request.answer == "已更正手机号码"


def test_the_talent_files_a_request_from_the_phone_page(world, login):
    response = login(world.li_ming_user).post(
        reverse("privacy:file_request"), {"kind": "restriction", "details": "停止向单位以外提供"}
    )

    assert response.status_code == 302
    assert DataRequest.objects.get().kind == RequestKind.RESTRICTION


def test_the_talent_may_read_but_not_answer_their_request(world, login):
    data_request = file(world)
    client = login(world.li_ming_user)

    page = client.get(reverse("privacy:request", args=[data_request.pk]))
    answer = client.post(
        reverse("privacy:request", args=[data_request.pk]), {"outcome": "done", "answer": "x"}
    )

    assert page.status_code == 200
    assert answer.status_code == 403

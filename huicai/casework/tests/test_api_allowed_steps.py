"""``allowed_steps`` is the truth (issue 12): for a task in each state and each role, every step the task's
detail lists succeeds over the API on a fresh copy, and every step it does not list is refused.

Each step is tried inside a savepoint that is rolled back, so every try starts from the same task. A step
added to the table without a body here fails ``test_every_step_of_the_table_has_a_body_here``.
"""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import transaction

from huicai.casework import actions
from huicai.casework.access import TASK_STEPS
from huicai.casework.choices import ExplainedVia, ExtensionStatus, TaskStatus
from huicai.casework.tests.test_steps import task_in
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.org.models import UndertakingOrg
from huicai.testing import force_login, make_user
from huicai.workdays import calendar

# Tuesday 3 March 2026, 10:00 in Linyi: the morning after the world's tasks were set up.
TUESDAY = datetime.datetime(2026, 3, 3, 2, 0, tzinfo=datetime.UTC)
# A task that is being handled and whose delay, filed by the department, waits for the window's
# acknowledgement; and one whose delay goes past the 12345 cap and waits for the window's approval.
EXTENDED = "accepted, extension waiting"
LONG_EXTENDED = "accepted, long extension waiting"
STATES = [*TaskStatus.values, EXTENDED, LONG_EXTENDED]
ROLES = ["department", "window", "unit", "talent", "undertaking", "city", "other window", "superuser"]


class Rollback(Exception):
    pass


@pytest.fixture
def station(case):
    world = case.world
    station = UndertakingOrg.objects.create(
        name="临沂市公安局户政服务中心",
        department=world.departments["市公安局"],
        division=world.divisions["临沂市"],
    )
    station.commissioner = make_user("hu_zx", "胡中心")
    appoint_commissioner(
        user=station.commissioner,
        kind=PostKind.UNDERTAKING,
        organisation=station,
        by=world.admin,
        at=world.at,
    )
    return station


def person(case, station, role):
    world = case.world
    return {
        "department": case.police,
        "window": world.chen_jing,
        "unit": world.wang_fang,
        "talent": world.li_ming_user,
        "undertaking": station.commissioner,
        "city": world.zhou_min,
        "other window": world.sun_lei,
        "superuser": world.admin,
    }[role]


def bodies(case, station, task):
    """A valid body for every step (what a client would send)."""
    world = case.world
    waiting = task.extensions.filter(status=ExtensionStatus.FILED, acknowledged_at__isnull=True).first()
    awaiting = task.extensions.filter(status=ExtensionStatus.AWAITING_APPROVAL).first()
    notice = task.material_requests.filter(fulfilled_at__isnull=True).first()
    # Every item of the open notice handed over in person (uploads are tested in test_supplements.py).
    handovers = [{"ref": row["ref"], "note": "已当面递交窗口"} for row in notice.rows()] if notice else []
    return {
        "request-materials": {"items": [{"name": "户口簿复印件"}]},
        "accept": {},
        "return": {"reason": "非本部门事项"},
        "resubmit": {"handovers": handovers},
        "reroute": {"department": world.departments["市教育局"].pk},
        "delegate": {"undertaking_org": station.pk},
        "report-back": {"note": "已办理"},
        "suspend": {"reason": "hearing", "legal_basis": "行政许可法第45条"},
        "resume": {},
        "extend": {
            "new_due_date": "2026-04-30",
            "reason": "需要核实",
            "explanation": "已电话说明",
            "explained_via": ExplainedVia.DIRECT,
        },
        "acknowledge-extension": {"extension": waiting.pk if waiting else 0},
        "approve-extension": {"extension": awaiting.pk if awaiting else 0},
        "refuse-extension": {"extension": awaiting.pk if awaiting else 0, "reason": "理由不充分"},
        "complete": {"result": "handled"},
        "inform": {"via": "phone"},
        "withdraw": {"reason": "人才已另行办理"},
    }


def task_for(case, station, state):
    if state not in (EXTENDED, LONG_EXTENDED):
        return task_in(case, state, station)
    task = task_in(case, TaskStatus.ACCEPTED, station)
    # Within the cap the window acknowledges the delay; past it the window must approve it.
    days = 3 if state == EXTENDED else settings.HUICAI_EXTENSION_CAP_DAYS + 5
    actions.extend_task(
        task,
        new_due_date=calendar.add_working_days(task.deadline.due_date, days),
        reason="需要外省协查",
        explanation="已当面说明",
        explained_via=ExplainedVia.DIRECT,
        by=case.police,
        at=case.world.at,
    )
    return task


def try_step(client, task, step, body):
    """The answer to one step, with everything it wrote rolled back."""
    response = None
    try:
        with transaction.atomic():
            response = client.post(f"/api/v1/tasks/{task.pk}/{step}/", body, content_type="application/json")
            raise Rollback
    except Rollback:
        pass
    return response


def test_every_step_of_the_table_has_a_body_here(case, station):
    task = task_in(case, TaskStatus.PENDING, station)

    assert sorted(bodies(case, station, task)) == sorted(step.name for step in TASK_STEPS)


@pytest.mark.parametrize("state", STATES)
def test_a_listed_step_succeeds_and_an_unlisted_one_is_refused_for_every_role(case, station, state, client):
    task = task_for(case, station, state)
    body = bodies(case, station, task)
    disagreements = []

    with time_machine.travel(TUESDAY, tick=False):
        for role in ROLES:
            force_login(client, person(case, station, role))
            detail = client.get(f"/api/v1/tasks/{task.pk}/")
            listed = set(detail.json()["allowed_steps"]) if detail.status_code == 200 else set()
            for step in TASK_STEPS:
                response = try_step(client, task, step.name, body[step.name])
                succeeded = response.status_code == 200
                if succeeded != (step.name in listed):
                    disagreements.append(
                        f"{role} {step.name}: {'listed' if step.name in listed else 'not listed'} but "
                        f"{response.status_code} {response.content.decode()[:200]}"
                    )
                elif not succeeded:
                    assert response.status_code in (400, 403, 404, 409), (
                        role,
                        step.name,
                        response.status_code,
                    )

    assert disagreements == []


def test_the_window_is_offered_the_acknowledgement_while_a_delay_waits_for_it(case, station, client):
    task = task_for(case, station, EXTENDED)
    force_login(client, case.world.chen_jing)

    with time_machine.travel(TUESDAY, tick=False):
        before = client.get(f"/api/v1/tasks/{task.pk}/").json()["allowed_steps"]
        extension = task.extensions.get()
        acknowledged = client.post(
            f"/api/v1/tasks/{task.pk}/acknowledge-extension/",
            {"extension": extension.pk},
            content_type="application/json",
        )
        again = client.post(
            f"/api/v1/tasks/{task.pk}/acknowledge-extension/",
            {"extension": extension.pk},
            content_type="application/json",
        )

    assert before == ["acknowledge-extension"]
    assert acknowledged.status_code == 200
    assert acknowledged.json()["allowed_steps"] == []
    assert acknowledged.json()["extensions"][0]["acknowledged_at"] is not None
    assert again.status_code == 409
    assert again.json()["message"] == "该延期已由窗口确认。"

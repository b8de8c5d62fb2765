"""A difficulty's ``allowed_steps`` is the truth over the API (issue 12), as a task's is: for a difficulty in
each state and each role, a listed step succeeds on a fresh copy and an unlisted one is refused."""

import pytest
from django.db import transaction

from huicai.outreach.access import DIFFICULTY_STEPS
from huicai.outreach.choices import DifficultyStatus
from huicai.outreach.tests.test_steps import difficulty_in
from huicai.testing import force_login

ROLES = ["unit", "window", "city", "talent", "other window", "department", "other unit", "superuser"]


class Rollback(Exception):
    pass


def person(case, role):
    world = case.world
    return {
        "unit": world.wang_fang,
        "window": world.chen_jing,
        "city": world.zhou_min,
        "talent": world.li_ming_user,
        "other window": world.sun_lei,
        "department": case.police,
        "other unit": world.qian_hui,
        "superuser": world.admin,
    }[role]


def bodies(case):
    return {
        "start": {"note": ""},
        "escalate": {"note": "请上级协调。"},
        "respond": {"response": "已答复。", "resolved": False},
        "close": {"note": ""},
        "link-catalogue": {"item": case.hukou.pk, "note": "新增绿色通道。"},
    }


def try_step(client, difficulty, step, body):
    response = None
    try:
        with transaction.atomic():
            response = client.post(
                f"/api/v1/difficulties/{difficulty.pk}/{step}/", body, content_type="application/json"
            )
            raise Rollback
    except Rollback:
        pass
    return response


def test_every_step_of_the_table_has_a_body_here(case):
    assert sorted(bodies(case)) == sorted(step.name for step in DIFFICULTY_STEPS)


@pytest.mark.parametrize("status", DifficultyStatus.values)
def test_a_listed_step_succeeds_and_an_unlisted_one_is_refused_for_every_role(case, status, client):
    difficulty = difficulty_in(case.world, status)
    body = bodies(case)
    disagreements = []

    for role in ROLES:
        force_login(client, person(case, role))
        detail = client.get(f"/api/v1/difficulties/{difficulty.pk}/")
        listed = set(detail.json()["allowed_steps"]) if detail.status_code == 200 else set()
        for step in DIFFICULTY_STEPS:
            response = try_step(client, difficulty, step.name, body[step.name])
            if (response.status_code == 200) != (step.name in listed):
                disagreements.append(
                    f"{role} {step.name}: {'listed' if step.name in listed else 'not listed'} but "
                    f"{response.status_code} {response.content.decode()[:200]}"
                )
            elif response.status_code != 200:
                assert response.status_code in (400, 403, 404, 409), (role, step.name, response.status_code)

    assert disagreements == []

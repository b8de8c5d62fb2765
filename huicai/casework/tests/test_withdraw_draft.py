"""A draft application can be withdrawn, by the action, the page and the API alike: it was never
submitted, so it carries no consent, and it is closed as withdrawn with its reason on record."""

import pytest
import time_machine

from huicai.casework import actions
from huicai.casework.choices import ApplicationStatus, CaseAction
from huicai.casework.models import Application
from huicai.testing import T0


def draft(case):
    world = case.world
    return actions.create_application(talent=world.li_ming, items=[case.hukou], by=world.wang_fang, at=T0)


def test_the_action_withdraws_a_draft_that_was_never_submitted(case):
    application = draft(case)

    actions.withdraw_application(application, reason="人才改为自行办理", by=case.world.wang_fang, at=T0)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert (application.submitted_at, application.consent_at) == (None, None)
    assert application.withdraw_reason == "人才改为自行办理"
    assert application.closed_at == T0
    assert application.events.filter(action=CaseAction.WITHDRAW).count() == 1


def test_a_withdrawn_draft_cannot_be_withdrawn_again(case):
    application = draft(case)
    actions.withdraw_application(application, reason="人才改为自行办理", by=case.world.wang_fang, at=T0)

    with pytest.raises(actions.InvalidTransition, match="已办结或已撤回"):
        actions.withdraw_application(application, reason="再撤一次", by=case.world.wang_fang, at=T0)


def test_the_unit_commissioner_withdraws_a_draft_on_its_page(case, login):
    application = draft(case)
    client = login(case.world.wang_fang)

    response = client.post(
        f"/cases/applications/{application.pk}/withdraw/",
        {"withdraw-reason": "人才改为自行办理", "withdraw-version": application.version},
    )

    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.WITHDRAWN


@time_machine.travel(T0, tick=False)
def test_the_talent_withdraws_a_draft_through_the_api(case, login):
    application = draft(case)
    client = login(case.world.li_ming_user)

    response = client.post(
        f"/api/v1/applications/{application.pk}/withdraw/",
        {"reason": "人才改为自行办理"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == ApplicationStatus.WITHDRAWN
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.WITHDRAWN

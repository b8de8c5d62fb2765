"""The admin shows difficulties and check-ins read-only: every change goes through the actions."""

import pytest

from huicai.outreach import actions
from huicai.outreach.tests.conftest import record


@pytest.mark.parametrize("model", ["difficulty", "checkinround", "checkinentry", "talentstatuschange"])
def test_the_admin_lists_but_does_not_add(world, login, model):
    difficulty = record(world)
    checkin_round = actions.open_checkin_round(
        window=world.windows["兰山区"], title="调度", by=world.chen_jing, at=world.at
    )
    actions.answer_checkin(
        checkin_round.entries.get(),
        employment_status="employed",
        lives_in_linyi=True,
        by=world.wang_fang,
        at=world.at,
    )
    client = login(world.admin)

    listing = client.get(f"/admin/outreach/{model}/")
    adding = client.get(f"/admin/outreach/{model}/add/")

    assert listing.status_code == 200
    assert adding.status_code == 403
    assert client.get(f"/admin/outreach/difficulty/{difficulty.pk}/change/").status_code == 200

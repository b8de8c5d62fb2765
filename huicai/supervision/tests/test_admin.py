"""Department heads are recorded in the admin through the actions and audited as role changes; cards,
orders and rounds can be read there but not changed."""

import datetime

import pytest

from huicai.core.models import AuditEvent
from huicai.supervision import actions
from huicai.supervision.choices import OrderStatus, RoundStatus
from huicai.supervision.jobs import issue_cards
from huicai.supervision.models import Card, DepartmentHead, OrderEvent
from huicai.supervision.tests.conftest import local
from huicai.testing import make_user

pytestmark = pytest.mark.usefixtures("frozen")


def test_an_administrator_records_and_ends_a_department_head(case, login):
    world = case.world
    head = make_user("housing_head", "住建局负责人")
    client = login(world.admin)

    added = client.post(
        "/admin/supervision/departmenthead/add/",
        {"department": world.departments["市住房和城乡建设局"].pk, "user": head.pk, "position": "副局长"},
    )
    row = DepartmentHead.objects.get(user=head)
    ended = client.post(
        f"/admin/supervision/departmenthead/{row.pk}/change/",
        {"active_to_0": "2026-03-03", "active_to_1": "12:00:00"},
    )

    row.refresh_from_db()
    assert added.status_code == 302 and ended.status_code == 302
    assert (row.appointed_by, row.position, row.active_from) == (world.admin, "副局长", local(2026, 3, 3))
    assert row.active_to == local(2026, 3, 3, 12, 0)
    assert list(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_CHANGE).values_list("detail", flat=True)
    ) == [
        "department head ended",
        "department head appointed",
    ]


def test_the_same_person_cannot_be_an_open_head_twice(case, police_head):
    with pytest.raises(actions.SupervisionError) as error:
        actions.appoint_department_head(
            department=case.world.departments["市公安局"],
            user=police_head,
            by=case.world.admin,
            at=local(2026, 3, 3),
        )

    assert error.value.messages == ["此人已是该部门的在任负责人。"]


def test_cards_orders_and_rounds_are_read_only_in_the_admin(case, task, login):
    world = case.world
    actions.raise_order(task, content="请加快", due_in_days=1, by=world.chen_jing, at=world.at)
    issue_cards(at=local(2026, 3, 6))
    client = login(world.admin)

    for name in ("card", "supervisionorder", "round"):
        assert client.get(f"/admin/supervision/{name}/").status_code == 200, name
        assert client.get(f"/admin/supervision/{name}/add/").status_code == 403, name


def test_an_orders_rounds_and_cards_state_cannot_be_set_through_their_change_forms(case, task, login):
    world = case.world
    order = actions.raise_order(task, content="请加快", due_in_days=1, by=world.chen_jing, at=world.at)
    round_ = actions.open_round(
        window=world.windows["兰山区"],
        title="调度",
        answer_due_date=datetime.date(2026, 3, 4),
        by=world.chen_jing,
        at=world.at,
    )
    issue_cards(at=local(2026, 3, 6))
    card = Card.objects.filter(order__isnull=True).get()
    events = OrderEvent.objects.count()
    client = login(world.admin)

    responses = [
        client.post(
            f"/admin/supervision/supervisionorder/{order.pk}/change/", {"status": OrderStatus.CLOSED}
        ),
        client.post(f"/admin/supervision/round/{round_.pk}/change/", {"status": RoundStatus.CLOSED}),
        client.post(f"/admin/supervision/card/{card.pk}/change/", {"colour": "yellow"}),
        client.post(f"/admin/supervision/card/{card.pk}/delete/", {"post": "yes"}),
    ]

    order.refresh_from_db()
    round_.refresh_from_db()
    card.refresh_from_db()
    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    assert (order.status, round_.status, card.colour) == (OrderStatus.OPEN, RoundStatus.OPEN, "red")
    assert OrderEvent.objects.count() == events

"""Every supervision page: anonymous visitors go to the login page, a record outside one's reach is a 404
(never a 403 that says it exists), and a page or step one's role does not allow is a 403."""

import datetime
from types import SimpleNamespace

import pytest

from huicai.supervision import actions
from huicai.supervision.jobs import issue_cards
from huicai.supervision.models import Card
from huicai.supervision.tests.conftest import accepted_task, local

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def scene(case, police_head):
    """A 兰山区 市公安局 task with its red card, an order on it, and an open round of the 兰山区 window."""
    world = case.world
    task = accepted_task(case)
    order = actions.raise_order(task, content="请说明进展", due_in_days=1, by=world.chen_jing, at=world.at)
    issue_cards(at=local(2026, 3, 6))
    round_ = actions.open_round(
        window=world.windows["兰山区"],
        title="调度",
        answer_due_date=datetime.date(2026, 3, 4),
        by=world.chen_jing,
        at=world.at,
    )
    return SimpleNamespace(
        task=task,
        order=order,
        card=Card.objects.filter(order__isnull=True).get(),
        round=round_,
        entry=round_.entries.get(),
    )


def pages(scene):
    return {
        "board": "/supervision/",
        "card": f"/supervision/cards/{scene.card.pk}/",
        "orders": "/supervision/orders/",
        "order": f"/supervision/orders/{scene.order.pk}/",
        "raise": f"/supervision/tasks/{scene.task.pk}/order/",
        "rounds": "/supervision/rounds/",
        "round_create": "/supervision/rounds/new/",
        "round": f"/supervision/rounds/{scene.round.pk}/",
        "export": f"/supervision/rounds/{scene.round.pk}/export/",
    }


def posts(scene):
    return {
        "respond": f"/supervision/orders/{scene.order.pk}/respond/",
        "close": f"/supervision/orders/{scene.order.pk}/close/",
        "withdraw": f"/supervision/orders/{scene.order.pk}/withdraw/",
        "round_close": f"/supervision/rounds/{scene.round.pk}/close/",
        "answer": f"/supervision/rounds/{scene.round.pk}/entries/{scene.entry.pk}/answer/",
    }


def test_anonymous_visitors_are_sent_to_the_login_page(scene, client):
    for url in [*pages(scene).values(), *posts(scene).values()]:
        response = client.post(url) if url in posts(scene).values() else client.get(url)

        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("name", ["card", "order", "round", "export"])
@pytest.mark.parametrize("persona", ["sun_lei", "housing", "li_ming_user", "wang_fang"])
def test_outsiders_get_404_on_each_record(case, scene, login, name, persona):
    user = case.housing_commissioner if persona == "housing" else getattr(case.world, persona)

    assert login(user).get(pages(scene)[name]).status_code == 404


@pytest.mark.parametrize("name", ["respond", "close", "withdraw", "round_close", "answer"])
def test_outsiders_get_404_on_each_step(case, scene, login, name):
    assert login(case.world.sun_lei).post(posts(scene)[name]).status_code == 404


def test_a_window_outside_the_talents_jurisdiction_cannot_reach_the_task_to_raise_an_order(
    case, scene, login
):
    assert login(case.world.sun_lei).get(pages(scene)["raise"]).status_code == 404


@pytest.mark.parametrize("name", ["board", "orders", "rounds", "round_create"])
@pytest.mark.parametrize("persona", ["li_ming_user", "wang_fang"])
def test_talents_and_unit_commissioners_may_not_use_the_supervision_pages(case, scene, login, name, persona):
    assert login(getattr(case.world, persona)).get(pages(scene)[name]).status_code == 403


@pytest.mark.parametrize("persona", ["zhao_qiang", "wang_fang", "li_ming_user"])
def test_those_who_see_the_task_but_are_no_window_may_not_raise_an_order(case, scene, login, persona):
    client = login(getattr(case.world, persona))

    assert client.get(pages(scene)["raise"]).status_code == 403
    assert client.post(pages(scene)["raise"], {"content": "越权", "due_in_days": "1"}).status_code == 403


def test_a_department_may_not_open_close_or_export_a_round_nor_review_an_order(case, scene, login):
    client = login(case.police)

    assert client.get(pages(scene)["round_create"]).status_code == 403
    assert client.get(pages(scene)["export"]).status_code == 403
    assert client.post(posts(scene)["round_close"]).status_code == 403
    assert client.post(posts(scene)["close"], {"close-decision": "accept"}).status_code == 403
    assert client.post(posts(scene)["withdraw"], {"withdraw-reason": "越权"}).status_code == 403


def test_a_window_may_not_answer_for_a_department(case, scene, login):
    client = login(case.world.chen_jing)

    assert client.post(posts(scene)["respond"], {"respond-response": "代答"}).status_code == 403
    assert client.post(posts(scene)["answer"], {f"e{scene.entry.pk}-progress": "代答"}).status_code == 403


def test_the_department_head_follows_the_department_but_does_not_answer(case, scene, login, police_head):
    client = login(police_head)

    for name in ("board", "card", "orders", "order", "rounds", "round"):
        assert client.get(pages(scene)[name]).status_code == 200, name
    assert client.post(posts(scene)["respond"], {"respond-response": "代答"}).status_code == 403
    assert client.post(posts(scene)["answer"], {f"e{scene.entry.pk}-progress": "代答"}).status_code == 403


@pytest.mark.parametrize("persona", ["chen_jing", "zhou_min"])
def test_the_window_and_the_windows_above_it_reach_everything(case, scene, login, persona):
    client = login(getattr(case.world, persona))

    for name, url in pages(scene).items():
        assert client.get(url).status_code == 200, name


def test_the_system_administrator_reads_everything_but_is_no_window_or_department(case, scene, login):
    client = login(case.world.admin)

    for name, url in pages(scene).items():
        if name not in ("raise", "round_create"):
            assert client.get(url).status_code == 200, name
    assert client.get(pages(scene)["raise"]).status_code == 403
    assert client.get(pages(scene)["round_create"]).status_code == 403
    assert client.post(posts(scene)["round_close"]).status_code == 403
    assert client.post(posts(scene)["close"], {"close-decision": "accept"}).status_code == 403
    assert client.post(posts(scene)["withdraw"], {"withdraw-reason": "越权"}).status_code == 403
    assert client.post(pages(scene)["raise"], {"content": "越权", "due_in_days": "1"}).status_code == 403
    assert client.post(posts(scene)["respond"], {"respond-response": "代答"}).status_code == 403
    assert client.post(posts(scene)["answer"], {f"e{scene.entry.pk}-progress": "代答"}).status_code == 403


def test_the_department_reaches_its_records(case, scene, login):
    client = login(case.police)

    for name in ("board", "card", "orders", "order", "rounds", "round"):
        assert client.get(pages(scene)[name]).status_code == 200, name

"""No workbench page issues more than 30 queries on the demo data, for any demo login.

The demo (about 200 talents, every application state) is loaded once for the module inside a transaction
that is rolled back at the end, so other tests never see it; each test runs in a savepoint within it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huicai.accounts.models import User
from huicai.casework.choices import ApplicationStatus
from huicai.casework.models import Application
from huicai.testing import demo_for_the_module, force_login
from huicai.workbench import demo as workbench_demo
from huicai.workbench.access import DASHBOARD, QUEUE, TALENT, UNIT, WINDOW, boards_for
from huicai.workbench.views import SECTIONS

BUDGET = 30
LOGINS = ["talent", "unit", "window", "window2", "dept", "undertaking", "city", "admin"]
BOARD_PATHS = {
    TALENT: ["/workbench/talent/"],
    UNIT: ["/workbench/unit/", "/workbench/apply/", "/workbench/apply/?q=李"],
    WINDOW: ["/workbench/window/", "/workbench/sections/window_supervision_tasks/?state=overdue"],
    QUEUE: ["/workbench/queue/", "/workbench/sections/queue_tasks/?state=overdue"],
    DASHBOARD: [
        "/workbench/dashboard/",
        "/workbench/dashboard/data/",
        "/workbench/dashboard/export/",
        "/workbench/dashboard/applications/",
        "/workbench/dashboard/tasks/?state=open",
    ],
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        workbench_demo.load_demo(at=timezone.now())
        yield


def paths_for(user):
    held = boards_for(user)
    paths = ["/workbench/"]
    for board in held:
        paths += BOARD_PATHS[board]
        paths += [f"/workbench/sections/{name}/" for name, spec in SECTIONS.items() if spec.board == board]
    if UNIT in held:
        draft = Application.objects.visible_to(user).filter(status=ApplicationStatus.DRAFT).first()
        talent = draft.talent
        paths += [
            f"/workbench/apply/talents/{talent.pk}/",
            f"/workbench/apply/{draft.pk}/materials/",
            f"/workbench/apply/{draft.pk}/consent/",
            f"/workbench/apply/{draft.pk}/review/",
        ]
    return paths


@pytest.mark.parametrize("username", LOGINS)
def test_every_workbench_page_stays_within_the_query_budget(demo, db, client, username):
    user = User.objects.get(username=username)
    force_login(client, user)
    counts = {}

    for path in paths_for(user):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (username, path, response.status_code)
        counts[path] = len(queries)

    assert {path: n for path, n in counts.items() if n > BUDGET} == {}, counts
    assert len(counts) >= 2

"""The two sweeps run by the scheduler, with the app's own SCHEDULE: hourly, each refusing to act outside working hours, so a card is issued the first working hour it is due and the
night runs do nothing."""

import datetime

from huicai.core.models import ScheduledJob
from huicai.core.scheduler import run_due
from huicai.notifications.models import Notification
from huicai.supervision import actions
from huicai.supervision.jobs import SCHEDULE
from huicai.supervision.models import Card
from huicai.supervision.tests.conftest import local

SUPERVISION_JOBS = SCHEDULE


def test_the_hourly_jobs_issue_the_card_in_the_first_working_hour_and_chase_once_a_day(case, task):
    world = case.world
    actions.open_round(
        window=world.windows["兰山区"],
        title="调度",
        answer_due_date=datetime.date(2026, 3, 4),
        by=world.chen_jing,
        at=world.at,
    )
    start = local(2026, 3, 5, 22, 0)  # Thursday night; the task is due at the close of today
    run_due(at=start, jobs=SUPERVISION_JOBS)  # creates the rows, due an hour later

    ran = {}
    at = start
    while at <= local(2026, 3, 6, 12, 0):
        at += datetime.timedelta(hours=1)
        for name in run_due(at=at, jobs=SUPERVISION_JOBS):
            ran.setdefault(name, []).append(at)

    card = Card.objects.get()
    assert card.issued_at == local(2026, 3, 6, 9, 0)  # the first run within 08:30–17:30
    assert len(ran["supervision_cards"]) == 15  # every hour, the night runs doing nothing
    cards_job = ScheduledJob.objects.get(name="supervision_cards")
    assert (
        cards_job.last_result == "{'yellow': 0, 'red': 0, 'order_red': 0, 'stage_yellow': 0, 'stage_red': 0}"
    )
    chase_job = ScheduledJob.objects.get(name="supervision_chase_rounds")
    assert chase_job.last_result == "{'departments_chased': 0}"  # chased at 09:00, not again at 12:00
    chases = Notification.objects.filter(recipient=case.police, title__startswith="催报")
    assert list(chases.values_list("created_at", flat=True)) == [local(2026, 3, 6, 9, 0)]

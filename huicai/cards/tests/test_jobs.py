"""The scheduler reminds a card's holder and unit commissioner before it expires, once, and flags a review
the window let pass its date, once."""

import datetime

from huicai.cards import jobs
from huicai.cards.choices import EventKind
from huicai.cards.models import CardApplication, RenewalReminder
from huicai.cards.tests.test_flow import apply_shandong
from huicai.notifications.models import Notification


def test_a_card_within_sixty_days_of_its_end_is_reminded_once_to_talent_and_unit(rules):
    world = rules  # li_ming's card runs until 2028-01-09
    early = datetime.datetime(2027, 10, 1, 0, 30, tzinfo=datetime.UTC)
    assert jobs.remind_card_renewals(at=early) == {"reminded": 0}
    inside = datetime.datetime(2027, 11, 20, 0, 30, tzinfo=datetime.UTC)
    assert jobs.remind_card_renewals(at=inside) == {"reminded": 1}
    assert jobs.remind_card_renewals(at=inside + datetime.timedelta(days=1)) == {"reminded": 0}
    assert RenewalReminder.objects.get().card == world.li_ming_card
    told = set(Notification.objects.filter(title__contains="即将到期").values_list("recipient", flat=True))
    assert told == {world.li_ming_user.pk, world.wang_fang.pk}


def test_a_review_past_its_date_is_flagged_once(rules):
    world = rules
    application = apply_shandong(world)
    assert jobs.flag_overdue_card_reviews(at=world.at) == {"flagged": 0}
    later = datetime.datetime.combine(
        application.due_date + datetime.timedelta(days=1), datetime.time(1, 0), datetime.UTC
    )
    assert jobs.flag_overdue_card_reviews(at=later) == {"flagged": 1}
    assert jobs.flag_overdue_card_reviews(at=later) == {"flagged": 0}
    application.refresh_from_db()
    assert application.overdue_flagged_at == later
    assert application.events.filter(kind=EventKind.OVERDUE).count() == 1
    assert CardApplication.objects.get().is_overdue_on(later.date())


def test_both_jobs_are_on_the_schedule():
    from huicai.schedule import all_jobs

    names = {job.name for job in all_jobs()}
    assert {"cards_renewal_reminders", "cards_overdue_reviews"} <= names

"""Periodic work of the cards app (S11-4), declared in SCHEDULE at the end (huicai/schedule.py collects it)."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.cards.choices import ApplicationStatus, EventKind
from huicai.cards.models import CardApplication, CardApplicationEvent, RenewalReminder
from huicai.commissioners.models import UnitAssignment
from huicai.core.schedule import Job
from huicai.notifications.actions import notify
from huicai.talents.choices import CardStatus
from huicai.talents.models import TalentCard


def remind_card_renewals(*, at) -> dict:
    """A valid card within HUICAI_CARD_RENEWAL_NOTICE_DAYS of its last day: the talent and their unit
    commissioner are told once per card and expiry date to apply for the renewal. The reminder row is
    claimed first (unique per card and date), so a second scheduler or a rerun sends nothing twice."""
    today = timezone.localdate(at)
    notice = getattr(settings, "HUICAI_CARD_RENEWAL_NOTICE_DAYS", 60)
    cards = list(
        TalentCard.objects.filter(
            status=CardStatus.VALID,
            valid_until_date__gte=today,
            valid_until_date__lte=today + datetime.timedelta(days=notice),
        )
        .exclude(pk__in=RenewalReminder.objects.values("card_id"))
        .select_related("talent")
        .order_by("valid_until_date", "pk")
    )
    units = {
        a.talent_id: a.post.user
        for a in UnitAssignment.objects.open()
        .filter(talent_id__in=[c.talent_id for c in cards])
        .select_related("post__user")
    }
    sent = 0
    for card in cards:
        try:
            with transaction.atomic():
                RenewalReminder.objects.create(card=card, valid_until_date=card.valid_until_date, sent_at=at)
                recipients = [card.talent] + ([units[card.talent_id]] if card.talent_id in units else [])
                notify(
                    recipients,
                    kind="card_renewal",
                    title=_("惠才卡即将到期，请申请续期"),
                    body=_("%(kind)s有效期至 %(until)s。")
                    % {"kind": card.get_kind_display(), "until": card.valid_until_date},
                    link=reverse("cards:mine"),
                    at=at,
                )
        except IntegrityError:
            continue  # another scheduler reminded first
        sent += 1
    return {"reminded": sent}


def flag_overdue_card_reviews(*, at) -> dict:
    """An application the window has not decided by its review date is flagged once, and the window's
    manager told; the flag is a compare-and-swap, so a rerun flags nothing twice."""
    from huicai.commissioners.choices import PostKind
    from huicai.commissioners.models import Post

    today = timezone.localdate(at)
    due = list(
        CardApplication.objects.filter(
            status=ApplicationStatus.SUBMITTED, overdue_flagged_at__isnull=True, due_date__lt=today
        ).values_list("pk", "window_id")
    )
    flagged = 0
    for pk, window_id in due:
        with transaction.atomic():
            claimed = CardApplication.objects.filter(
                pk=pk, status=ApplicationStatus.SUBMITTED, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=at)
            if not claimed:
                continue
            CardApplicationEvent.objects.create(
                application_id=pk,
                kind=EventKind.OVERDUE,
                from_status=ApplicationStatus.SUBMITTED,
                to_status=ApplicationStatus.SUBMITTED,
                by=None,
                at=at,
                note=_("审核超期"),
            )
            managers = [
                p.user
                for p in Post.objects.filter(
                    kind=PostKind.WINDOW, window_id=window_id, is_manager=True
                ).active_at(at)
            ]
            notify(
                managers,
                kind="card_application",
                title=_("惠才卡申请审核已超期"),
                link=reverse("cards:detail", args=[pk]),
                at=at,
            )
        flagged += 1
    return {"flagged": flagged}


SCHEDULE = [
    Job(
        "cards_renewal_reminders",
        remind_card_renewals,
        daily_at=datetime.time(8, 10),
        working_days_only=True,
    ),
    Job(
        "cards_overdue_reviews",
        flag_overdue_card_reviews,
        daily_at=datetime.time(8, 20),
        working_days_only=True,
    ),
]

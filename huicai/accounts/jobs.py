"""Periodic work of the accounts app, declared in SCHEDULE at the end (huicai/schedule.py collects it)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest

from huicai.accounts.models import ApiToken
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.core.schedule import Job


def disable_dormant_accounts(*, at) -> dict:
    """Disable every account with no sign-in for HUICAI_DORMANT_DAYS (SECURITY.md; MLPS 8.1.4.2: remove
    or disable idle accounts). The clock runs from the last sign-in, else the creation, and restarts when
    a window manager re-enables the account. Accounts holding a live API token (system accounts never sign
    in by the form) are left alone; superusers too (installation only; their use is audited by the admins' work).

    One compare-and-swap per account, each with its audit row in its own transaction: a sign-in racing
    the job wins (its ``last_login`` moves past the cut-off and the update matches nothing).
    """
    cutoff = at - datetime.timedelta(days=settings.HUICAI_DORMANT_DAYS)
    users = get_user_model().objects
    last_seen = Greatest(Coalesce("last_login", "date_joined"), Coalesce("reactivated_at", "date_joined"))
    dormant = (
        users.filter(is_active=True, is_superuser=False)
        .exclude(pk__in=ApiToken.objects.live(at).values("user"))
        .alias(last_seen=last_seen)
        .filter(last_seen__lt=cutoff)
    )
    disabled = 0
    for user in dormant.order_by("pk"):
        with transaction.atomic():
            claimed = (
                users.filter(pk=user.pk, is_active=True)
                .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
                .update(is_active=False, dormant_disabled_at=at)
            )
            if claimed == 1:
                audit.record(AuditEvent.Kind.ACCOUNT_DISABLED, at=at, obj=user, result="dormant")
                disabled += 1
    return {"disabled": disabled}


SCHEDULE = [
    # Nightly, so a dormant account is closed within a day of reaching the limit.
    Job("disable_dormant_accounts", disable_dormant_accounts, daily_at=datetime.time(2, 30)),
]

from django.db import transaction

from huicai.notifications.models import Notification


@transaction.atomic
def notify(recipients, *, kind: str, title: str, body: str = "", link: str = "", at) -> list[Notification]:
    """Put one notification in each recipient's inbox (duplicates in ``recipients`` get one)."""
    seen = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, title=title, body=body, link=link, created_at=at))
    return Notification.objects.bulk_create(rows)


@transaction.atomic
def mark_read(notification, *, by, at) -> None:
    Notification.objects.filter(pk=notification.pk, recipient=by, read_at__isnull=True).update(read_at=at)

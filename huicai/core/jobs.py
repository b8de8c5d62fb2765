"""Periodic work of the core: audit retention, and forgetting old rate-limit counts."""

import datetime
import hashlib
import json
import os

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q

from huicai.core.models import AuditArchive, AuditEvent, chained_content
from huicai.core.ratelimit import prune_rate_counters
from huicai.core.schedule import Job

# Reveals and exports of personal data are kept longer than other security events (SECURITY.md, PIPL 56).
PERSONAL_DATA_KINDS = [AuditEvent.Kind.REVEAL, AuditEvent.Kind.EXPORT]
ARCHIVE_BATCH = 50_000


def archive_audit_events(*, at) -> dict:
    """Move the oldest audit rows past their retention to a JSON-lines file, with their chain.

    Security events stay at least HUICAI_AUDIT_RETENTION_DAYS (184 by default, the Cybersecurity Law's six
    months); reveals and exports HUICAI_AUDIT_PERSONAL_DATA_RETENTION_DAYS (three years). Only the oldest
    run of rows is moved, up to the first row that must stay, so what remains is one unbroken chain whose
    first link is the archive's last hash (recorded in AuditArchive; verify_audit checks it). A row past
    its time behind a row that must stay waits: retention is a minimum, never a maximum.
    """
    security_cutoff = at - datetime.timedelta(days=settings.HUICAI_AUDIT_RETENTION_DAYS)
    personal_cutoff = at - datetime.timedelta(days=settings.HUICAI_AUDIT_PERSONAL_DATA_RETENTION_DAYS)
    keep_from = AuditEvent.objects.filter(
        Q(at__gte=security_cutoff) | Q(kind__in=PERSONAL_DATA_KINDS, at__gte=personal_cutoff)
    ).aggregate(first=Min("id"))["first"]
    rows = AuditEvent.objects.order_by("id")
    if keep_from is not None:
        rows = rows.filter(id__lt=keep_from)
    rows = list(rows[:ARCHIVE_BATCH])
    if not rows:
        return {"archived": 0}

    first, last = rows[0], rows[-1]
    directory = settings.HUICAI_AUDIT_ARCHIVE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"audit-{first.pk:012d}-{last.pk:012d}.jsonl"
    digest = hashlib.sha256()
    # The file is written and flushed to disk before any row leaves the table.
    with open(path, "w", encoding="utf-8") as archive_file:
        for event in rows:
            line = json.dumps(
                {"id": event.pk, **chained_content(event), "row_hash": event.row_hash},
                ensure_ascii=False,
                sort_keys=True,
            )
            archive_file.write(line + "\n")
            digest.update((line + "\n").encode("utf-8"))
        archive_file.flush()
        os.fsync(archive_file.fileno())

    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The append-only trigger lets a DELETE through only inside this transaction (core 0004).
                cursor.execute("SELECT set_config('huicai.audit_retention', 'on', true)")
            cursor.execute(
                f"DELETE FROM {AuditEvent._meta.db_table} WHERE id BETWEEN %s AND %s", [first.pk, last.pk]
            )
        AuditArchive.objects.create(
            archived_at=at,
            first_id=first.pk,
            last_id=last.pk,
            count=len(rows),
            first_prev_hash=first.prev_hash,
            last_hash=last.row_hash,
            path=str(path),
            file_sha256=digest.hexdigest(),
        )
    return {"archived": len(rows), "file": path.name}


SCHEDULE = [
    Job("archive_audit_events", archive_audit_events, daily_at=datetime.time(2, 30)),
    Job("prune_rate_counters", prune_rate_counters, every=datetime.timedelta(hours=1)),
]

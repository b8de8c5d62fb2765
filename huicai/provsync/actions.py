"""Keeping talents' records in step with the provincial talent system (W15).

- ``capture_changes`` appends to the outbox what changed in talents and cards since the last capture
  (see models.py for why the outbox is captured rather than written by every action);
- ``queue_batch`` puts the changes after the cursor into the next batch, one batch open at a time;
- ``send_batch`` posts a batch to the province, signed like our webhooks (HMAC-SHA256 over
  ``id.timestamp.body``), claimed by a compare-and-swap so two schedulers never send it twice, and
  retried after 1, 5, 15, 60 and 240 minutes; the cursor advances only when the province answers 2xx;
- ``resend_batch`` gives a batch that was given up a new round of attempts (window staff's button);
- ``reconcile`` compares a provincial list with our records: only there, only here, differing.
"""

import datetime
import json
import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from huicai.core import audit
from huicai.core.crypto import lookup_hash
from huicai.core.logging import redact
from huicai.core.masking import mask_id_number
from huicai.core.models import AuditEvent
from huicai.core.validators import check_resident_id, normalize_phone, normalize_resident_id, normalize_uscc
from huicai.hotlines.webhooks import SendError, parse_secrets, post_signed
from huicai.provsync import formats
from huicai.provsync.access import sync_window, visible_paths
from huicai.provsync.choices import BatchStatus, Operation, RecordKind, Verdict
from huicai.provsync.models import (
    ProvincialAttempt,
    ProvincialBatch,
    ProvincialChange,
    ProvincialRecord,
    Reconciliation,
)

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd … failed attempt of a round; after the last one the batch is given up (failed)
# until window staff resend it. The same ladder as the hotlines' results.
RETRY_DELAYS = tuple(datetime.timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 240))
ATTEMPTS_PER_ROUND = len(RETRY_DELAYS) + 1
# How long a sender owns a claimed batch; far longer than the HTTP timeout.
SENDING_LEASE = datetime.timedelta(minutes=10)
CHUNK = 1000


class SyncError(ValidationError):
    """A sync step the rules refuse, with a Chinese message."""


# --- the outbox ------------------------------------------------------------------------------------------


def _fingerprint(text: str) -> str:
    # Keyed: an unkeyed hash of a row with an ID number in it could be recomputed from a guessed number.
    return lookup_hash(text, purpose="provsync_row")


def capture_changes(*, at) -> dict:
    """Append a change for every talent and card whose exchange row differs from the one last captured,
    one for every new one, one for every one gone. Running it twice in a row appends nothing the second
    time. Written in chunks, each in one transaction with the records it moves on, so a capture cut short
    leaves the outbox and the records consistent and the next capture carries on."""
    from huicai.talents.models import Talent, TalentCard

    known = {
        (kind, object_id): (fingerprint, pk)
        for kind, object_id, fingerprint, pk in ProvincialRecord.objects.values_list(
            "kind", "object_id", "fingerprint", "pk"
        )
    }
    counts = {operation.value: 0 for operation in Operation}
    pending = []
    sources = (
        (RecordKind.TALENT, formats.talent_rows(Talent.objects.all())),
        (RecordKind.CARD, formats.card_rows(TalentCard.objects.all())),
    )
    for kind, rows in sources:
        for object_id, path, row in rows:
            text = json.dumps(row, ensure_ascii=False, sort_keys=True)
            fingerprint = _fingerprint(text)
            previous = known.pop((kind.value, object_id), None)
            if previous is not None and previous[0] == fingerprint:
                continue
            pending.append((kind, object_id, path, row, text, fingerprint, previous))
            if len(pending) >= CHUNK:
                _write_changes(pending, at=at, counts=counts)
                pending = []
    _write_changes(pending, at=at, counts=counts)
    # What is left was captured once and exists no more: the province is told it is gone.
    gone = list(ProvincialRecord.objects.filter(pk__in=[pk for _fp, pk in known.values()]).order_by("pk"))
    for start in range(0, len(gone), CHUNK):
        with transaction.atomic():
            chunk = gone[start : start + CHUNK]
            ProvincialChange.objects.bulk_create(
                ProvincialChange(
                    kind=record.kind,
                    object_id=record.object_id,
                    operation=Operation.REMOVED,
                    row=record.row,
                    changed=[],
                    window_path=record.window_path,
                    captured_at=at,
                )
                for record in chunk
            )
            ProvincialRecord.objects.filter(pk__in=[record.pk for record in chunk]).delete()
            counts[Operation.REMOVED.value] += len(chunk)
    return counts


@transaction.atomic
def _write_changes(pending, *, at, counts):
    if not pending:
        return
    previous_rows = {
        record.pk: json.loads(record.row)
        for record in ProvincialRecord.objects.filter(pk__in=[p[6][1] for p in pending if p[6] is not None])
    }
    changes, created, updated = [], [], []
    for kind, object_id, path, row, text, fingerprint, previous in pending:
        if previous is None:
            operation, changed = Operation.CREATED, list(formats.HEADERS[kind])
            created.append(
                ProvincialRecord(
                    kind=kind,
                    object_id=object_id,
                    fingerprint=fingerprint,
                    row=text,
                    window_path=path,
                    captured_at=at,
                )
            )
        else:
            old = previous_rows[previous[1]]
            operation = Operation.UPDATED
            changed = [header for header in formats.HEADERS[kind] if old.get(header) != row.get(header)]
            updated.append(
                ProvincialRecord(
                    pk=previous[1],
                    kind=kind,
                    object_id=object_id,
                    fingerprint=fingerprint,
                    row=text,
                    window_path=path,
                    captured_at=at,
                )
            )
        changes.append(
            ProvincialChange(
                kind=kind,
                object_id=object_id,
                operation=operation,
                row=text,
                changed=changed,
                window_path=path,
                captured_at=at,
            )
        )
        counts[operation.value] += 1
    ProvincialChange.objects.bulk_create(changes)
    ProvincialRecord.objects.bulk_create(created)
    ProvincialRecord.objects.bulk_update(updated, ["fingerprint", "row", "window_path", "captured_at"])


def batch_size() -> int:
    return settings.HUICAI_PROVINCE_SYNC_BATCH_SIZE


def queue_batch(*, at) -> ProvincialBatch | None:
    """The next batch: the changes after the cursor, at most ``HUICAI_PROVINCE_SYNC_BATCH_SIZE`` of them.
    None while a batch is still open (the database allows only one) or when nothing changed."""
    if ProvincialBatch.objects.open().exists():
        return None
    cursor = ProvincialBatch.objects.cursor()
    ids = list(ProvincialChange.objects.after(cursor).values_list("pk", flat=True)[: batch_size()])
    if not ids:
        return None
    try:
        with transaction.atomic():
            return ProvincialBatch.objects.create(
                after_change_id=cursor,
                last_change_id=ids[-1],
                count=len(ids),
                webhook_id=f"huicai-province-{cursor}-{ids[-1]}",
                next_attempt_at=at,
                created_at=at,
            )
    except IntegrityError:
        # Another scheduler queued it first (one open batch, one id per range): theirs stands.
        return None


def batch_body(batch) -> bytes:
    """What the province receives: the batch's range and its changes in full (it needs the ID numbers to
    match its records). Rebuilt from the outbox on every attempt; the outbox never changes, so a resent
    batch is byte for byte the same batch."""
    changes = ProvincialChange.objects.filter(
        pk__gt=batch.after_change_id, pk__lte=batch.last_change_id
    ).order_by("pk")
    payload = {
        "batch": batch.webhook_id,
        "after": batch.after_change_id,
        "last": batch.last_change_id,
        "changes": [formats.change_entry(change, reveal=True) for change in changes],
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def _allowed_attempts():
    return (F("resends") + 1) * ATTEMPTS_PER_ROUND


def send_batch(batch_id, *, at, clock=time.monotonic) -> str | None:
    """Post one batch if it is due and nobody else holds it; return its new status, or None if it was not
    ours to send.

    Not one transaction on purpose (as the hotlines' ``send_result``): the claim is one compare-and-swap,
    the HTTP call runs outside any transaction, and the outcome is written by a second compare-and-swap on
    the claimed attempt, so a sender that outlived its lease cannot overwrite the one that took over.
    """
    claimed = (
        ProvincialBatch.objects.due(at)
        .filter(pk=batch_id, attempts__lt=_allowed_attempts())
        .update(status=BatchStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=at + SENDING_LEASE)
    )
    if claimed != 1:
        return None
    batch = ProvincialBatch.objects.get(pk=batch_id)
    body = batch_body(batch)
    started = clock()
    try:
        status_code = post_signed(
            settings.HUICAI_PROVINCE_SYNC_URL,
            parse_secrets(settings.HUICAI_PROVINCE_SYNC_SECRET),
            webhook_id=batch.webhook_id,
            body=body,
            timeout=settings.HUICAI_PROVINCE_SYNC_TIMEOUT,
            system=_("省级人才系统"),
            user_agent="Huicai-Province-Sync/1",
        )
    except SendError as error:
        return _fail(batch, error, at=at, elapsed=int((clock() - started) * 1000))
    return _finish(
        batch,
        status=BatchStatus.SENT,
        attempt=dict(ok=True, status_code=status_code, duration_ms=int((clock() - started) * 1000)),
        at=at,
        sent_at=at,
        last_error="",
    )


def _fail(batch, error, *, at, elapsed):
    message = redact(str(error))[:200]
    in_round = batch.attempts - batch.resends * ATTEMPTS_PER_ROUND
    if error.permanent or in_round >= ATTEMPTS_PER_ROUND:
        status, next_attempt_at = BatchStatus.FAILED, None
    else:
        status, next_attempt_at = BatchStatus.PENDING, at + RETRY_DELAYS[in_round - 1]
    logger.warning(
        "Provincial batch %s failed on attempt %s (%s): %s", batch.pk, batch.attempts, status, message
    )
    return _finish(
        batch,
        status=status,
        next_attempt_at=next_attempt_at,
        attempt=dict(ok=False, status_code=error.status_code, error=message, duration_ms=elapsed),
        at=at,
        last_error=message,
    )


@transaction.atomic
def _finish(batch, *, status, attempt, at, next_attempt_at=None, **fields):
    updated = ProvincialBatch.objects.filter(
        pk=batch.pk, status=BatchStatus.SENDING, attempts=batch.attempts
    ).update(status=status, next_attempt_at=next_attempt_at, **fields)
    if updated != 1:
        # Our lease ran out and another sender took the batch over; its result stands.
        logger.warning(
            "Provincial batch %s was taken over before attempt %s finished", batch.pk, batch.attempts
        )
        return None
    ProvincialAttempt.objects.create(batch=batch, number=batch.attempts, at=at, **attempt)
    return status


@transaction.atomic
def resend_batch(batch, *, by, at) -> ProvincialBatch:
    """Give a batch that was given up another round of attempts, starting now. Only a failed batch: one
    that is waiting or being sent is already on its way, and a delivered one is never sent again."""
    batch = ProvincialBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.FAILED:
        raise SyncError(_("只有发送失败的批次可以重新发送。"))
    batch.status = BatchStatus.PENDING
    batch.resends += 1
    batch.next_attempt_at = at
    batch.save(update_fields=["status", "resends", "next_attempt_at"])
    audit.record(AuditEvent.Kind.CONFIG_CHANGE, actor=by, at=at, obj=batch, detail="resend provincial batch")
    return batch


def sync_configured() -> bool:
    return bool(settings.HUICAI_PROVINCE_SYNC_URL and parse_secrets(settings.HUICAI_PROVINCE_SYNC_SECRET))


# --- reconciliation --------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value).strip()


def _our_talents(paths):
    """Our talents within ``paths`` (None: the city): ID-number hash → (row, equivalents per header)."""
    from huicai.talents.models import Talent

    talents = Talent.objects.all()
    if paths is not None:
        from django.db.models import Q

        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(home_window__path__startswith=path)
        talents = talents.filter(condition)
    hashes = dict(talents.values_list("pk", "id_number_hash"))
    extras = {
        pk: (category_name, division_code)
        for pk, category_name, division_code in talents.values_list(
            "pk", "category__name", "home_window__division__code"
        )
    }
    ours = {}
    for pk, _path, row in formats.talent_rows(talents):
        category_name, division_code = extras[pk]
        ours[hashes[pk]] = (
            row,
            {
                "人才类别": {row["人才类别"].upper(), category_name},
                "属地窗口": {row["属地窗口"], division_code},
            },
        )
    return ours


# Compared when the provincial list has the column; 单位专员账号 is ours alone and is not compared.
COMPARED = ("姓名", "手机号码", "人才类别", "用人单位统一社会信用代码", "属地窗口")
NORMALIZE = {
    "手机号码": normalize_phone,
    "用人单位统一社会信用代码": normalize_uscc,
    "人才类别": str.upper,
}


def reconcile(uploaded, *, by, at, file_name="") -> Reconciliation:
    """Compare a provincial talents list with our talents in the user's jurisdiction and keep the report.

    Talents are matched by the keyed hash of the ID number, never by name. A talent of the list we do not
    hold in this jurisdiction is "only there"; one we hold that the list lacks, "only here"; one in both
    whose compared columns differ is listed with each differing column, ours and theirs. Nothing personal
    is kept in clear: ID numbers and phones in the report are masked, and the file itself is not stored.
    """
    facts = formats.inspect(uploaded)
    paths = visible_paths(by)
    rows = formats.read_rows(uploaded, facts["extension"])
    report, counts, seen = [], {verdict.value: 0 for verdict in Verdict}, {}
    ours = _our_talents(paths)
    first = True
    for line, row in rows:
        if first:
            first = False
            if "公民身份号码" not in row:
                raise SyncError(_("缺少必填列：公民身份号码。请使用人才导入模板。"))
        entry = _reconcile_row(line, row, ours, seen)
        counts[entry["verdict"]] += 1
        if entry["verdict"] != Verdict.SAME:
            report.append(entry)
    for row, _equivalents in ours.values():
        counts[Verdict.ONLY_HERE.value] += 1
        report.append(
            {
                "verdict": Verdict.ONLY_HERE.value,
                "line": None,
                "name": row["姓名"],
                "id_number": mask_id_number(row["公民身份号码"]),
                "differences": [],
                "reason": "",
            }
        )
    return Reconciliation.objects.create(
        by=by,
        at=at,
        window=sync_window(by),
        file_name=(file_name or getattr(uploaded, "name", "") or "")[:200],
        file_sha256=facts["sha256"],
        counts=counts,
        report=report,
    )


def _reconcile_row(line, row, ours, seen) -> dict:
    raw = normalize_resident_id(_text(row.get("公民身份号码")))
    entry = {
        "verdict": Verdict.SAME.value,
        "line": line,
        "name": _text(row.get("姓名")),
        "id_number": mask_id_number(raw),
        "differences": [],
        "reason": "",
    }
    if "*" in raw:
        return {**entry, "verdict": Verdict.ERROR.value, "reason": _("证件号码是脱敏后的值，无法核对。")}
    digest = lookup_hash(raw, purpose="id_number")
    if digest in seen:
        return {
            **entry,
            "verdict": Verdict.ERROR.value,
            "reason": _("与第%(line)d行重复。") % {"line": seen[digest]},
        }
    seen[digest] = line
    match = ours.pop(digest, None)
    if match is None:
        # A number we hold was checked when it was registered; one we do not hold is checked now, so a
        # mistyped number is told rather than listed as a talent only the province has. (Checked only
        # here: the region table look-up is the slowest step of a 20,000-row list.)
        try:
            check_resident_id(raw)
        except ValidationError as exc:
            return {**entry, "verdict": Verdict.ERROR.value, "reason": "；".join(exc.messages)}
        return {**entry, "verdict": Verdict.ONLY_THERE.value}
    our_row, equivalents = match
    for header in COMPARED:
        if header not in row:
            continue
        theirs = _text(row[header])
        accepted = equivalents.get(header, {our_row[header]})
        if theirs in accepted:
            continue  # the common case, without parsing a phone number or a code
        normalize = NORMALIZE.get(header, str.strip)
        theirs = normalize(theirs)
        if theirs not in {normalize(value) for value in accepted}:
            show = formats.MASKS.get(header, str)
            entry["differences"].append([header, show(our_row[header]), show(theirs)])
    if entry["differences"]:
        entry["verdict"] = Verdict.DIFFERS.value
    return entry

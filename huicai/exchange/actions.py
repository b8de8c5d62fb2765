"""Writing a planned import, and the way of an import batch from upload to the confirmed write.

Every record is written through the action that owns it (``register_talent``, ``issue_card``,
``appoint_commissioner``, ``assign_unit_commissioner``…), so an imported row obeys the same rules as a typed
one, and each record written leaves an ``ImportChange`` row saying what changed. A file is written whole or
not at all: one transaction around all rows, unless the person chose to skip the error rows, when each row
has a savepoint of its own and a row that fails is reported and skipped.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils.translation import gettext as _

from huicai.exchange.choices import BatchStatus
from huicai.exchange.kinds import ExchangeError, ImportPlan, RowStatus
from huicai.exchange.models import ImportBatch, ImportChange


class ImportRefused(ExchangeError):
    """The file has error rows and the person did not choose to skip them: nothing was written."""

    def __init__(self, message, *, plan):
        super().__init__(message)
        self.plan = plan


def write_plan(plan: ImportPlan, *, user, at, skip_errors=False, progress=None, batch=None) -> ImportPlan:
    """Write the rows a dry run found new or changed. Refuses the whole file when any row is an error,
    unless ``skip_errors``; a row whose write an action refuses is then an error too (the database may
    have moved since the dry run)."""
    if plan.file_errors or (plan.has_errors and not skip_errors):
        raise ImportRefused(_("文件中有错误行，未导入任何数据。"), plan=plan)
    with transaction.atomic():
        done = 0
        if plan.kind == "talents":
            new_talents = [row for row in plan.rows if row.status == RowStatus.CREATE]
            for start in range(0, len(new_talents), BULK_SIZE):
                chunk = new_talents[start : start + BULK_SIZE]
                _register_talents(chunk, user=user, at=at, batch=batch, skip_errors=skip_errors, plan=plan)
                done += len(chunk)
                if progress is not None:
                    progress(done)
        for row in plan.rows:
            if row.status == RowStatus.UPDATE or (row.status == RowStatus.CREATE and plan.kind != "talents"):
                _write_row(plan.kind, row, user=user, at=at, batch=batch, savepoint=skip_errors)
                if row.status == RowStatus.ERROR and not skip_errors:
                    # Leaving the block by an exception rolls back every row written before this one.
                    raise ImportRefused(_("文件中有错误行，未导入任何数据。"), plan=plan)
                done += 1
                if progress is not None:
                    progress(done)
    return plan


BULK_SIZE = 500


def _register_talents(rows, *, user, at, batch, skip_errors, plan):
    """New talents of a file, 500 to a statement: a city's 20,000 talents in well under a minute.

    The same rules as ``register_talent``, checked in the dry run for each row (the ID number against
    the day, the phone, the category, employer, window and unit commissioner of the user's jurisdiction,
    no second record of one ID number), and here again each record's own field validation; the database's
    unique constraints on the ID-number hash and on one open unit assignment per talent are the last guard
    against a record written by someone else since the dry run. A chunk the database refuses is written
    row by row through ``register_talent`` when skipping error rows, so only the offending rows fail.
    """
    from huicai.commissioners.models import UnitAssignment
    from huicai.talents.models import Talent

    try:
        with transaction.atomic():
            talents = []
            for row in rows:
                values = {k: v for k, v in row.values.items() if k != "unit_post"}
                talent = Talent(**values)
                talent.clean_fields(exclude=["category", "employer", "home_window", "user"])
                talents.append(talent)
            Talent.objects.bulk_create(talents)
            UnitAssignment.objects.bulk_create(
                UnitAssignment(
                    talent=talent,
                    post=row.values["unit_post"],
                    active_from=at,
                    assigned_by=user,
                    reason=_("批量导入"),
                )
                for row, talent in zip(rows, talents, strict=True)
                if row.values.get("unit_post") is not None
            )
            ImportChange.objects.bulk_create(
                ImportChange(
                    batch=batch,
                    kind="talents",
                    line=row.line,
                    status=str(row.status),
                    object_type="talents.talent",
                    object_id=str(talent.pk),
                    changes={k: list(v) for k, v in row.changes.items()},
                    by=user,
                    at=at,
                )
                for row, talent in zip(rows, talents, strict=True)
            )
    except (ValidationError, IntegrityError) as exc:
        if not skip_errors:
            for row in rows:
                row.error("", _("写入时被拒绝（可能刚被他人登记），请重新预检。"))
            raise ImportRefused(_("文件中有错误行，未导入任何数据。"), plan=plan) from exc
        for row in rows:
            _write_row("talents", row, user=user, at=at, batch=batch, savepoint=True)


def _write_row(kind, row, *, user, at, batch, savepoint):
    writer = WRITERS[kind]
    try:
        if savepoint:
            with transaction.atomic():
                obj = writer(row, user=user, at=at)
        else:
            obj = writer(row, user=user, at=at)
    except ValidationError as exc:
        messages = exc.messages if hasattr(exc, "messages") else [str(exc)]
        row.error("", "；".join(messages))
        return
    ImportChange.objects.create(
        batch=batch,
        kind=kind,
        line=row.line,
        status=str(row.status),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes={k: list(v) for k, v in row.changes.items()},
        by=user,
        at=at,
    )


def _save_fields(obj, values: dict):
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save(update_fields=[*values.keys()])
    return obj


def write_employer(row, *, user, at):
    from huicai.org.models import Employer

    if row.target is None:
        employer = Employer(credit_code=row.key, **row.values)
        employer.full_clean()
        employer.save()
        return employer
    return _save_fields(row.target, row.values)


def write_talent(row, *, user, at):
    from huicai.commissioners.actions import assign_unit_commissioner
    from huicai.talents.actions import change_employer, register_talent

    values = dict(row.values)
    post = values.pop("unit_post", None)
    if row.target is None:
        return register_talent(by=user, at=at, unit_commissioner=post, reason=_("批量导入"), **values)
    talent = row.target
    employer = values.pop("employer", None)
    if employer is not None and talent.employer_id != employer.pk:
        # S6: a change of employer ends the old pairing; the talent goes to the commissioner the row names,
        # else the new employer's only one, else into the coverage gap for the window (one action for the
        # form, the API and this import).
        talent = change_employer(
            talent, employer=employer, unit_post=post, by=user, at=at, note=_("批量导入")
        )
        post = None  # assigned (or left in the gap) by the change itself
    talent = _save_fields(talent, values)
    if post is not None and "单位专员账号" in row.changes:
        assign_unit_commissioner(talent, post=post, by=user, at=at, reason=_("批量导入"))
    return talent


def write_card(row, *, user, at):
    from huicai.talents.actions import change_card_status, issue_card
    from huicai.talents.choices import CardStatus
    from huicai.talents.models import TalentCard, TalentCardEvent

    values = row.values
    card = row.target
    if card is None and values["status"] != CardStatus.VALID:
        # A card that ended before the city came to Huicai (expired, revoked, lost) is recorded as it is,
        # with its one event: issuing it as valid first could clash with the talent's current card.
        card = TalentCard(
            talent=values["talent"],
            kind=values["kind"],
            number=row.key,
            level=values["level"],
            issued_date=values["issued_date"],
            valid_until_date=values["valid_until_date"],
            status=values["status"],
        )
        card.full_clean()
        card.save()
        TalentCardEvent.objects.create(card=card, to_status=card.status, by=user, at=at, note=_("批量导入"))
        return card
    if card is None:
        card = issue_card(
            values["talent"],
            kind=values["kind"],
            number=row.key,
            issued_date=values["issued_date"],
            valid_until_date=values["valid_until_date"],
            level=values["level"],
            by=user,
            at=at,
        )
    elif card.level != values["level"]:
        card = _save_fields(card, {"level": values["level"]})
    if card.status != values["status"]:
        card = change_card_status(card, status=values["status"], by=user, at=at, note=_("批量导入"))
    return card


def write_commissioner(row, *, user, at):
    from huicai.accounts.models import User
    from huicai.commissioners.actions import appoint_commissioner, change_post_contact

    values = row.values
    person = values["user"]
    if person is None:
        # A new account has no usable password: the person sets one through the invitation (part 2).
        person = User(username=values["login"], full_name=values["full_name"], mobile=values["mobile"])
        person.set_unusable_password()
        person.full_clean(exclude=["password"])
        person.save()
    else:
        changed = {"full_name": values["full_name"]}
        if values["mobile"]:
            changed["mobile"] = values["mobile"]
        if any(getattr(person, k) != v for k, v in changed.items()):
            person = User.objects.select_for_update().get(pk=person.pk)
            for name, value in changed.items():
                setattr(person, name, value)
            person.save(update_fields=list(changed))
    if row.target is None:
        return appoint_commissioner(
            user=person,
            kind=values["kind"],
            organisation=values["organisation"],
            by=user,
            at=at,
            is_full_time=values["is_full_time"],
            position=values["position"],
            office_phone=values["office_phone"],
        )
    # S19: a corrected position or office phone is a change of contact, written with its post event (and
    # so its change record) by the registry's own action; an unchanged row writes nothing.
    change_post_contact(
        row.target,
        by=user,
        at=at,
        note=_("批量导入"),
        **{k: values[k] for k in ("position", "office_phone", "is_full_time")},
    )
    row.target.refresh_from_db()
    return row.target


def write_pair(row, *, user, at):
    from huicai.commissioners.actions import assign_unit_commissioner

    return assign_unit_commissioner(
        row.target, post=row.values["post"], by=user, at=at, reason=row.values["reason"] or _("批量导入")
    )


WRITERS = {
    "employers": write_employer,
    "talents": write_talent,
    "cards": write_card,
    "commissioners": write_commissioner,
    "pairs": write_pair,
}

# --- The batch: upload, dry run, confirmation, write. ---


def create_batch(*, kind, uploaded, by, at) -> ImportBatch:
    """Keep an uploaded file as a new batch, waiting for its dry run. The file is checked to be a
    spreadsheet by its content (files.sniff), not its name."""
    from huicai.accounts.roles import get_scope
    from huicai.exchange import files
    from huicai.exchange.kinds import get_context, get_kind
    from huicai.org.models import Window

    get_kind(kind)
    get_context(by, at)
    facts = files.inspect(uploaded)
    scope = get_scope(by)
    window = Window.objects.filter(pk__in=scope.window_ids).order_by("path").first()
    batch = ImportBatch(
        kind=kind,
        created_by=by,
        window=window,
        created_at=at,
        original_name=facts["original_name"],
        extension=facts["extension"],
        sha256=facts["sha256"],
        size=facts["size"],
    )
    uploaded.seek(0)
    batch.file.save("upload", File(uploaded), save=False)
    batch.save()
    return batch


def _progress_saver(batch_pk, every=200):
    """A callback that records how many rows are done, every ``every`` rows, where the page can see it.

    Outside a transaction (the dry run) a plain update does. The write runs in one transaction, whose
    updates no one sees before the end: on PostgreSQL the progress goes through a connection of its own
    (the write holds no lock on the batch row that would block it); on SQLite, where the write's
    transaction locks the whole database, it is not recorded and the page shows a bar without a value.
    """
    last = {"saved": 0}

    def save(done):
        if done - last["saved"] < every:
            return
        last["saved"] = done
        if not connection.in_atomic_block:
            ImportBatch.objects.filter(pk=batch_pk).update(progress_done=done)
        elif connection.vendor == "postgresql":
            side = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                with side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {ImportBatch._meta.db_table} SET progress_done = %s WHERE id = %s",
                        [done, batch_pk],
                    )
            finally:
                side.close()

    return save


def plan_batch(batch_pk, *, at) -> ImportBatch:
    """The dry run of a batch: reads its file and stores the per-row report; writes nothing else.
    Claimed by compare-and-swap, so two workers never plan one batch twice."""
    from huicai.exchange import files
    from huicai.exchange.kinds import plan_import

    claimed = ImportBatch.objects.filter(pk=batch_pk, status=BatchStatus.UPLOADED).update(
        status=BatchStatus.PLANNING, progress_done=0
    )
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_pk)
    if claimed != 1:
        return batch
    try:
        with batch.file.open("rb") as handle:
            total = files.count_rows(handle, batch.extension)
            ImportBatch.objects.filter(pk=batch_pk).update(progress_total=total)
            handle.seek(0)
            plan = plan_import(
                batch.kind,
                files.read_rows(handle, batch.extension),
                user=batch.created_by,
                at=at,
                progress=_progress_saver(batch_pk),
            )
    except (ValidationError, ValueError) as exc:
        message = "；".join(getattr(exc, "messages", [str(exc)]))
        ImportBatch.objects.filter(pk=batch_pk).update(
            status=BatchStatus.FAILED, message=message[:500], finished_at=at
        )
        return ImportBatch.objects.get(pk=batch_pk)
    ImportBatch.objects.filter(pk=batch_pk).update(
        status=BatchStatus.PLANNED,
        report=plan.as_report(),
        counts=plan.counts,
        progress_done=len(plan.rows),
        progress_total=len(plan.rows),
        planned_at=at,
    )
    return ImportBatch.objects.get(pk=batch_pk)


@transaction.atomic
def confirm_batch(batch, *, skip_errors, by, at) -> ImportBatch:
    """A person confirms a dry-run file for writing. A file with error rows is confirmed only with the
    explicit choice to skip them."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.PLANNED:
        raise ExchangeError(_("该导入不在待确认状态。"))
    report = batch.report or {}
    has_errors = bool(report.get("file_errors")) or batch.counts.get(RowStatus.ERROR, 0) > 0
    if report.get("file_errors"):
        raise ExchangeError(_("文件本身有错误，不能导入，请修改后重新上传。"))
    if has_errors and not skip_errors:
        raise ExchangeError(_("文件中有错误行：请修改后重新上传，或明确选择“跳过错误行”。"))
    batch.status = BatchStatus.CONFIRMED
    batch.skip_errors = skip_errors
    batch.confirmed_by = by
    batch.confirmed_at = at
    batch.progress_done = 0
    batch.save(update_fields=["status", "skip_errors", "confirmed_by", "confirmed_at", "progress_done"])
    return batch


def write_batch(batch_pk, *, at) -> ImportBatch:
    """The confirmed write of a batch: plans the file again (the data may have moved since the dry run)
    and writes it, whole or not at all unless the person chose to skip error rows."""
    from huicai.exchange import files
    from huicai.exchange.kinds import plan_import

    claimed = ImportBatch.objects.filter(pk=batch_pk, status=BatchStatus.CONFIRMED).update(
        status=BatchStatus.WRITING
    )
    batch = ImportBatch.objects.select_related("confirmed_by").get(pk=batch_pk)
    if claimed != 1:
        return batch
    by = batch.confirmed_by
    with batch.file.open("rb") as handle:
        plan = plan_import(batch.kind, files.read_rows(handle, batch.extension), user=by, at=at)
    ImportBatch.objects.filter(pk=batch_pk).update(progress_total=len(plan.rows), progress_done=0)
    try:
        write_plan(
            plan,
            user=by,
            at=at,
            skip_errors=batch.skip_errors,
            progress=_progress_saver(batch_pk),
            batch=batch,
        )
    except ImportRefused:
        status, message = BatchStatus.REFUSED, _("文件中有错误行，未导入任何数据。")
    else:
        status, message = BatchStatus.DONE, ""
    ImportBatch.objects.filter(pk=batch_pk).update(
        status=status,
        message=message,
        report=plan.as_report(),
        counts=plan.counts,
        progress_done=len(plan.rows),
        finished_at=at,
    )
    return ImportBatch.objects.get(pk=batch_pk)


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(64 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()

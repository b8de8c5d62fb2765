"""The steps of a 惠才卡 application (S11-4), each one guarded function in one transaction.

Every step locks the application (``lock_for_update`` with the version the caller read), checks the step
table of ``access.STEPS`` (state and who), writes the change with its event, and tells the people concerned
after commit. An approval issues the card through ``talents.actions.issue_card``: the number by the rule in
``next_card_number``, the tier and validity by the category's ``CardRule``.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.cards import access
from huicai.cards.choices import ApplicationStatus, EventKind, Purpose
from huicai.cards.models import CardApplication, CardApplicationEvent, CardMaterial, CardRule
from huicai.casework.uploads import inspect_upload, safe_name
from huicai.core.transitions import ActionRefused, Conflict, NotAllowed, lock_for_update
from huicai.notifications.actions import notify
from huicai.talents.actions import change_card_status, issue_card
from huicai.talents.choices import CardKind, CardStatus
from huicai.talents.models import TalentCard
from huicai.workdays import calendar

MAX_MATERIALS = 10
NUMBER_PREFIX = {CardKind.YIMENG: "YM", CardKind.SHANDONG: "SD"}


class CardRefused(ActionRefused):
    """A card application step refused for a reason the person can fix (400)."""


def review_days() -> int:
    return getattr(settings, "HUICAI_CARD_REVIEW_WORKING_DAYS", 5)


def rule_for(talent, kind) -> CardRule:
    rule = CardRule.objects.filter(category_id=talent.category_id, kind=kind).first()
    if rule is None:
        raise CardRefused(
            _("“%(category)s”类人才不在%(kind)s的发放范围内。")
            % {"category": talent.category.name, "kind": CardKind(kind).label},
            code="not_eligible",
        )
    return rule


def _previous_card(talent, kind, purpose, today):
    """The card a renewal or reissue replaces; refused when the purpose does not fit the talent's cards."""
    cards = TalentCard.objects.filter(talent=talent, kind=kind)
    valid = cards.filter(status=CardStatus.VALID).first()
    if purpose == Purpose.NEW:
        if valid is not None and valid.valid_until_date >= today:
            raise CardRefused(
                _("该人才已有一张有效的%(kind)s，请办理续期。") % {"kind": CardKind(kind).label}
            )
        return valid  # a card past its date is replaced by the new one
    if purpose == Purpose.RENEWAL:
        notice = getattr(settings, "HUICAI_CARD_RENEWAL_DAYS", 90)
        if valid is None:
            raise CardRefused(_("该人才没有可续期的%(kind)s。") % {"kind": CardKind(kind).label})
        if valid.valid_until_date > today + datetime.timedelta(days=notice):
            raise CardRefused(
                _("有效期届满前 %(days)s 天内方可申请续期（本卡有效期至 %(until)s）。")
                % {"days": notice, "until": valid.valid_until_date}
            )
        return valid
    lost = cards.filter(status=CardStatus.LOST).order_by("-issued_date", "-id").first()
    if lost is None:
        raise CardRefused(_("该人才没有已挂失的%(kind)s，不能补办。") % {"kind": CardKind(kind).label})
    return lost


def _save_materials(application, files, *, by, at):
    if len(files) > MAX_MATERIALS:
        raise CardRefused(_("每次最多上传 %(n)s 个文件。") % {"n": MAX_MATERIALS})
    checked = [(name, uploaded, inspect_upload(uploaded)) for name, uploaded in files]
    for name, uploaded, facts in checked:
        material = CardMaterial(
            application=application,
            round=application.round,
            name=(name or "").strip()[:100] or safe_name(uploaded.name),
            original_name=safe_name(uploaded.name),
            content_type=facts["content_type"],
            extension=facts["extension"],
            size=uploaded.size,
            sha256=facts["sha256"],
            uploaded_by=by,
            uploaded_at=at,
        )
        material.file.save(f"x{facts['extension']}", uploaded, save=False)
        material.save()
    return len(checked)


def _event(application, kind, *, by, at, from_status="", note="", to_status=None):
    CardApplicationEvent.objects.create(
        application=application,
        kind=kind,
        from_status=from_status,
        to_status=to_status if to_status is not None else application.status,
        by=by,
        at=at,
        note=note,
    )


def _link(application) -> str:
    return reverse("cards:detail", args=[application.pk])


def _window_staff(window):
    from huicai.commissioners.choices import PostKind
    from huicai.commissioners.models import Post

    return [
        p.user for p in Post.objects.filter(kind=PostKind.WINDOW, window=window).active_at(timezone.now())
    ]


@transaction.atomic
def submit_card_application(
    *, talent, kind, purpose=Purpose.NEW, note="", files=(), by, at
) -> CardApplication:
    """The unit commissioner applies for ``talent``'s card (new, renewal or reissue), with materials."""
    if not access.is_unit_commissioner_of(by, talent):
        raise NotAllowed(_("只有该人才的单位专员可以为其申请惠才卡。"))
    kind, purpose = CardKind(kind), Purpose(purpose)
    today = timezone.localdate(at)
    rule_for(talent, kind)
    previous = _previous_card(talent, kind, purpose, today)
    if not files:
        raise CardRefused(_("请上传申请材料（如身份证明、人才认定证明）。"), code="no_materials")
    application = CardApplication(
        talent=talent,
        kind=kind,
        purpose=purpose,
        previous_card=previous if purpose != Purpose.NEW else None,
        window=talent.home_window,
        applied_by=by,
        note=note,
        submitted_at=at,
        due_date=calendar.add_working_days(today, review_days()),
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise Conflict(_("该人才已有一份在办的同类惠才卡申请。"), code="duplicate") from None
    _save_materials(application, files, by=by, at=at)
    _event(application, EventKind.SUBMITTED, by=by, at=at, note=note)
    transaction.on_commit(
        lambda: notify(
            _window_staff(application.window),
            kind="card_application",
            title=_("新的惠才卡申请待审核"),
            body=_("审核期限：%(due)s") % {"due": application.due_date},
            link=_link(application),
            at=at,
        )
    )
    return application


@transaction.atomic
def return_card_application(application, *, reason, by, at, expected_version=None) -> CardApplication:
    """The window returns the application for correction, with the reason the unit must answer."""
    reason = (reason or "").strip()
    if not reason:
        raise CardRefused(_("请填写退回原因。"), code="reason_required")
    application = lock_for_update(CardApplication, application.pk, expected_version=expected_version)
    access.STEPS.check("return", application, by=by)
    from_status = application.status
    application.status = ApplicationStatus.RETURNED
    application.return_reason = reason
    application.decided_by, application.decided_at = by, at
    application.version += 1
    application.save()
    _event(application, EventKind.RETURNED, by=by, at=at, from_status=from_status, note=reason)
    transaction.on_commit(
        lambda: notify(
            [application.applied_by],
            kind="card_application",
            title=_("惠才卡申请被退回，请补正"),
            body=reason,
            link=_link(application),
            at=at,
        )
    )
    return application


@transaction.atomic
def add_card_materials(application, *, files, by, at) -> CardApplication:
    """More materials for a returned application, before it goes back to the window."""
    application = lock_for_update(CardApplication, application.pk)
    access.STEPS.check("add_material", application, by=by)
    if not files:
        raise CardRefused(_("请选择要上传的文件。"))
    _save_materials(application, files, by=by, at=at)
    _event(application, EventKind.MATERIAL, by=by, at=at, from_status=application.status)
    return application


@transaction.atomic
def resubmit_card_application(
    application, *, note="", files=(), by, at, expected_version=None
) -> CardApplication:
    """The unit answers the return: the next round goes to the window with a new review deadline; the
    returned round's materials and the reason stay on the record."""
    application = lock_for_update(CardApplication, application.pk, expected_version=expected_version)
    access.STEPS.check("resubmit", application, by=by)
    from_status = application.status
    application.round += 1
    if files:
        _save_materials(application, files, by=by, at=at)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = at
    application.due_date = calendar.add_working_days(timezone.localdate(at), review_days())
    application.overdue_flagged_at = None
    application.version += 1
    application.save()
    _event(application, EventKind.RESUBMITTED, by=by, at=at, from_status=from_status, note=note)
    transaction.on_commit(
        lambda: notify(
            _window_staff(application.window),
            kind="card_application",
            title=_("惠才卡申请已补正，待审核"),
            link=_link(application),
            at=at,
        )
    )
    return application


@transaction.atomic
def withdraw_card_application(application, *, note="", by, at, expected_version=None) -> CardApplication:
    application = lock_for_update(CardApplication, application.pk, expected_version=expected_version)
    access.STEPS.check("withdraw", application, by=by)
    from_status = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.version += 1
    application.save()
    _event(application, EventKind.WITHDRAWN, by=by, at=at, from_status=from_status, note=note)
    return application


def next_card_number(kind, year) -> str:
    """``YM`` (沂蒙惠才卡) or ``SD`` (山东惠才卡), the year of issue and a six-digit serial within it:
    YM2026000042. The serial follows the highest number of that prefix and year; the unique constraint on
    the number settles a race (the approval retries once)."""
    prefix = f"{NUMBER_PREFIX[CardKind(kind)]}{year}"
    last = (
        TalentCard.objects.filter(number__startswith=prefix, number__regex=rf"^{prefix}[0-9]{{6}}$")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:06d}"


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def approve_card_application(application, *, by, at, expected_version=None) -> CardApplication:
    """The window approves: the card is issued with its number, tier and validity; a renewal retires the
    old card (expired, replaced) and a reissue keeps the lost card's validity."""
    application = lock_for_update(
        CardApplication.objects.select_related("talent__category", "previous_card"),
        application.pk,
        expected_version=expected_version,
    )
    access.STEPS.check("approve", application, by=by)
    talent, kind = application.talent, application.kind
    today = timezone.localdate(at)
    rule = rule_for(talent, kind)
    previous = application.previous_card
    if previous is not None and previous.status == CardStatus.VALID:
        change_card_status(
            previous,
            status=CardStatus.EXPIRED,
            by=by,
            at=at,
            note=_("续期换发新卡") if application.purpose == Purpose.RENEWAL else _("换发新卡"),
        )
    valid_until = _add_years(today, rule.valid_years) - datetime.timedelta(days=1)
    if application.purpose == Purpose.RENEWAL and previous is not None and previous.valid_until_date >= today:
        # A renewal runs on from the old card's last day, so renewing early loses no time.
        valid_until = _add_years(previous.valid_until_date, rule.valid_years)
    if application.purpose == Purpose.REISSUE and previous is not None and previous.valid_until_date >= today:
        valid_until = previous.valid_until_date
    card = None
    for _attempt in range(2):
        try:
            with transaction.atomic():
                card = issue_card(
                    talent,
                    kind=kind,
                    number=next_card_number(kind, today.year),
                    issued_date=today,
                    valid_until_date=valid_until,
                    level=rule.tier,
                    by=by,
                    at=at,
                )
            break
        except IntegrityError:
            continue
    if card is None:
        raise Conflict(_("发卡编号冲突，请重试。"))
    from_status = application.status
    application.status = ApplicationStatus.APPROVED
    application.card = card
    application.decided_by, application.decided_at = by, at
    application.version += 1
    application.save()
    _event(application, EventKind.APPROVED, by=by, at=at, from_status=from_status, note=card.number)
    transaction.on_commit(
        lambda: notify(
            [application.applied_by, talent],
            kind="card_issued",
            title=_("惠才卡已发放"),
            body=_("%(kind)s，有效期至 %(until)s。")
            % {"kind": card.get_kind_display(), "until": valid_until},
            link=reverse("cards:mine"),
            at=at,
        )
    )
    return application


def report_card_lost(card, *, note="", by, at) -> TalentCard:
    """挂失: the talent, their unit commissioner or their window reports the card lost; it can no longer be
    served on, and a reissue can be applied for."""
    if not access.may_report_lost(by, card):
        raise NotAllowed(_("您不能为该卡办理挂失。"))
    if card.status != CardStatus.VALID:
        raise Conflict(_("只有有效的卡可以挂失（当前为“%(s)s”）。") % {"s": card.get_status_display()})
    return change_card_status(card, status=CardStatus.LOST, by=by, at=at, note=note or _("挂失"))


def revoke_card(card, *, reason, by, at) -> TalentCard:
    """撤销: the window withdraws a card, with the reason; a revoked card is never valid again."""
    reason = (reason or "").strip()
    if not reason:
        raise CardRefused(_("请填写撤销原因。"), code="reason_required")
    if not access.may_revoke(by, card):
        raise NotAllowed(_("只有人才属地窗口可以撤销人才卡。"))
    if card.status == CardStatus.REVOKED:
        raise Conflict(_("该卡已撤销。"))
    card = change_card_status(card, status=CardStatus.REVOKED, by=by, at=at, note=reason)
    transaction.on_commit(
        lambda: notify(
            [card.talent],
            kind="card_issued",
            title=_("您的惠才卡已被撤销"),
            body=reason,
            link=reverse("cards:mine"),
            at=at,
        )
    )
    return card

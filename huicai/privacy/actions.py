"""Talents' rights over their personal data (PIPL art. 15, 44–47): one guarded action per change.

A talent files a request (correction, deletion, restriction); their home window answers it within the
configured number of working days. Every step writes a ``DataRequestEvent`` and an audit event. Seeing and
exporting one's own data need no request: ``record_self_export`` audits each export.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.accounts.roles import get_scope
from huicai.casework import actions as casework
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.notifications.actions import notify
from huicai.privacy.access import can_answer
from huicai.privacy.choices import Outcome, RequestKind, RequestStatus
from huicai.privacy.models import ConsentWithdrawal, DataRequest, DataRequestEvent
from huicai.workdays.calendar import add_working_days


class InvalidTransition(ValidationError):
    """The request is not in a state that allows this step."""


def _require_own_talent(talent, by):
    if get_scope(by).talent_id != talent.pk:
        raise PermissionDenied(_("只有人才本人可以提出个人信息权利请求。"))


@transaction.atomic
def file_request(talent, *, kind, details, by, at, request=None) -> DataRequest:
    """The talent asks their home window to correct, delete or restrict their data.

    The deadline counts working days on the official calendar from the day the request is filed.
    """
    _require_own_talent(talent, by)
    if kind not in RequestKind.values:
        raise ValidationError(_("请求类型无效。"))
    details = (details or "").strip()
    if not details:
        raise ValidationError(_("请说明需要更正、删除或限制处理的内容。"))
    filed_day = timezone.localdate(at)
    data_request = DataRequest.objects.create(
        talent=talent,
        window=talent.home_window,
        kind=kind,
        details=details[:1000],
        filed_by=by,
        filed_at=at,
        due_date=add_working_days(filed_day, settings.HUICAI_PRIVACY_REQUEST_WORKING_DAYS),
    )
    DataRequestEvent.objects.create(request=data_request, to_status=RequestStatus.OPEN, by=by, at=at)
    audit.record(
        AuditEvent.Kind.PRIVACY_REQUEST,
        request=request,
        actor=by,
        at=at,
        obj=data_request,
        detail=f"filed {kind}",
    )
    return data_request


@transaction.atomic
def answer_request(data_request, *, outcome, answer, by, at, request=None) -> DataRequest:
    """The home window answers a request. A deletion of records the law says must be kept (applications
    and their files under archive rules, the audit log) is answered ``restricted`` with the reason."""
    data_request = DataRequest.objects.select_for_update().select_related("window").get(pk=data_request.pk)
    if not can_answer(by, data_request):
        raise PermissionDenied(_("只有人才属地窗口可以答复该请求。"))
    if data_request.status != RequestStatus.OPEN:
        raise InvalidTransition(_("该请求已答复，不能再次答复。"))
    if outcome not in Outcome.values:
        raise ValidationError(_("处理结果无效。"))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("请填写答复内容。"))
    data_request.status = RequestStatus.ANSWERED
    data_request.outcome = outcome
    data_request.answer = answer[:1000]
    data_request.answered_by = by
    data_request.answered_at = at
    data_request.save(update_fields=["status", "outcome", "answer", "answered_by", "answered_at"])
    DataRequestEvent.objects.create(
        request=data_request,
        from_status=RequestStatus.OPEN,
        to_status=RequestStatus.ANSWERED,
        by=by,
        at=at,
        note=outcome,
    )
    audit.record(
        AuditEvent.Kind.PRIVACY_REQUEST,
        request=request,
        actor=by,
        at=at,
        obj=data_request,
        detail=f"answered {outcome}",
    )
    talent_user = data_request.talent.user
    if talent_user is not None:
        notify(
            [talent_user],
            kind="privacy_answered",
            title=_("您的个人信息%(kind)s请求已答复") % {"kind": data_request.get_kind_display()},
            link=reverse("privacy:mine"),
            at=at,
        )
    return data_request


def flag_overdue_request(data_request, *, at) -> bool:
    """Mark an open request past its deadline, once (compare-and-swap: two schedulers flag it once)."""
    with transaction.atomic():
        claimed = DataRequest.objects.filter(
            pk=data_request.pk, status=RequestStatus.OPEN, overdue_flagged_at__isnull=True
        ).update(overdue_flagged_at=at)
        if claimed != 1:
            return False
        DataRequestEvent.objects.create(
            request=data_request,
            from_status=RequestStatus.OPEN,
            to_status=RequestStatus.OPEN,
            at=at,
            note="overdue",
        )
    return True


@transaction.atomic
def withdraw_consent(application, *, by, at, request=None) -> ConsentWithdrawal | None:
    """The talent withdraws, for the future, the consent they gave for one application (PIPL art. 15).

    On a draft not yet submitted the consent is taken back (casework's ``withdraw_draft_consent``): the
    draft cannot be submitted until consent is given again. On a submitted application what was done
    stays lawful and on file: the application keeps its consent record and the withdrawal is recorded
    beside it. Either way every new application asks for consent of its own, and the withdrawal is audited.
    """
    _require_own_talent(application.talent, by)
    if application.consent_at is None:
        raise ValidationError(_("该申办没有记录同意，无需撤回。"))
    if ConsentWithdrawal.objects.filter(application=application).exists():
        raise InvalidTransition(_("已撤回对该申办的同意。"))
    withdrawal = None
    if application.submitted_at is None:
        casework.withdraw_draft_consent(application, by=by, at=at)
    else:
        withdrawal = ConsentWithdrawal.objects.create(
            application=application, talent=application.talent, withdrawn_by=by, withdrawn_at=at
        )
    audit.record(
        AuditEvent.Kind.CONSENT_WITHDRAWN,
        request=request,
        actor=by,
        at=at,
        obj=application,
        detail="draft" if withdrawal is None else "submitted",
    )
    return withdrawal


def record_self_export(talent, *, fmt, by, at, request=None):
    """An export of the talent's own record is audited like any other export of personal data."""
    _require_own_talent(talent, by)
    return audit.record(
        AuditEvent.Kind.EXPORT, request=request, actor=by, at=at, obj=talent, detail=f"self {fmt}"
    )

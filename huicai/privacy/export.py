"""Everything the system holds about one talent, as data (JSON) and as a printable PDF (PIPL art. 45).

The PDF embeds a CJK font that comes from PyPI alone (``cvttf-NotoSansCJK-Regular``: Noto Sans CJK,
SIL Open Font License), subset by fpdf2 to the characters used, so it renders the same on any phone and
needs no system package.
"""

from functools import cache
from pathlib import Path

from django.utils import timezone

from huicai.archives.models import ArchiveReason
from huicai.cards.models import CardApplication
from huicai.engagement.models import (
    Achievement,
    ArrivalDate,
    Grant,
    Invitation,
    Offer,
    Preference,
    PushReceipt,
)
from huicai.filings.models import FilingTalent
from huicai.filings.snapshots import COUNT_LABELS
from huicai.privacy.access import access_log


def _when(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def personal_data(talent) -> dict:
    """The talent's record, cards, applications with their consent, requests and who looked at the record,
    and what the engagement, card, archive and filing apps keep about them (``_other_apps``)."""
    applications = talent.applications.select_related("window").order_by("created_at", "id")
    withdrawn = {w.application_id: w.withdrawn_at for w in talent.consent_withdrawals.all()}
    return {
        "generated_at": _when(timezone.now()),
        "talent": {
            "name": talent.name,
            "id_type": talent.get_id_type_display(),
            "id_number": talent.id_number,
            "mobile": talent.mobile,
            "category": talent.category.name,
            "employer": talent.employer.name,
            "home_window": talent.home_window.name,
            "employment_status": talent.get_employment_status_display(),
            "employment_confirmed_date": str(talent.employment_confirmed_date or ""),
            "lives_in_linyi": talent.lives_in_linyi,
            "residence_confirmed_date": str(talent.residence_confirmed_date or ""),
            "registered_at": _when(talent.created_at),
        },
        "cards": [
            {
                "kind": card.get_kind_display(),
                "number": card.number,
                "issued_date": str(card.issued_date),
                "valid_until_date": str(card.valid_until_date),
                "status": card.get_status_display(),
            }
            for card in talent.cards.order_by("issued_date", "id")
        ],
        "applications": [
            {
                "number": application.number,
                "status": application.get_status_display(),
                "window": application.window.name,
                "created_at": _when(application.created_at),
                "submitted_at": _when(application.submitted_at),
                "consent_at": _when(application.consent_at),
                "consent_method": application.get_consent_method_display()
                if application.consent_method
                else "",
                "consent_withdrawn_at": _when(withdrawn.get(application.pk)),
            }
            for application in applications
        ],
        "requests": [
            {
                "kind": r.get_kind_display(),
                "status": r.get_status_display(),
                "filed_at": _when(r.filed_at),
                "due_date": str(r.due_date),
                "outcome": r.get_outcome_display() if r.outcome else "",
                "answer": r.answer,
            }
            for r in talent.data_requests.order_by("filed_at", "id")
        ],
        "access_log": [
            {
                "at": _when(event.at),
                "event": event.get_kind_display(),
                "by": event.actor_name or event.actor_login,
                "roles": event.roles,
                "jurisdiction": event.jurisdiction,
            }
            for event in access_log(talent)
        ],
        **_other_apps(talent),
    }


def _other_apps(talent) -> dict:
    """The rows the newer apps keep about the talent: only the talent's own, never another person's.

    Staff are named only where the access log already names them (who opened the archive, and why); the
    words staff typed as the reason stay out (they may name other people), the fixed purpose says why.
    A filing snapshot lists many talents: only this talent's own line of it is copied here.
    """
    return {
        "gatherings": [
            {
                "gathering": i.gathering.title,
                "place": i.gathering.place,
                "starts_at": _when(i.gathering.starts_at),
                "status": i.gathering.get_status_display(),
                "invited_at": _when(i.invited_at),
                "rsvp": i.get_rsvp_display(),
                "rsvp_at": _when(i.rsvp_at),
                "attended_at": _when(i.attended_at),
                "attendance_method": i.get_attendance_method_display() if i.attendance_method else "",
            }
            for i in Invitation.objects.filter(talent=talent)
            .select_related("gathering")
            .order_by("invited_at", "id")
        ],
        "pushes": [
            {
                "title": r.push.title,
                "kind": r.push.get_kind_display(),
                "window": r.push.window.name,
                "sent_at": _when(r.push.sent_at),
                "channel": r.get_channel_display(),
                "read_at": _when(r.read_at),
            }
            for r in PushReceipt.objects.filter(talent=talent)
            .select_related("push__window")
            .order_by("push__sent_at", "id")
        ],
        "achievements": [
            {
                "title": a.title,
                "summary": a.summary,
                "achieved_date": str(a.achieved_date),
                "status": a.get_status_display(),
                "published_at": _when(a.published_at),
                "consents": [
                    {
                        "statement": c.statement,
                        "given_at": _when(c.given_at),
                        "withdrawn_at": _when(c.withdrawn_at),
                    }
                    for c in sorted(a.consents.all(), key=lambda c: (c.given_at, c.pk))
                ],
                "photos": [p.caption or "照片" for p in a.photos.all()],
            }
            for a in Achievement.objects.filter(talent=talent)
            .prefetch_related("consents", "photos")
            .order_by("achieved_date", "id")
        ],
        "arrival": [
            {"arrival_date": str(a.arrival_date), "recorded_at": _when(a.recorded_at)}
            for a in ArrivalDate.objects.filter(talent=talent)
        ],
        "preferences": [
            {"offers_opted_out": p.offers_opted_out, "changed_at": _when(p.changed_at)}
            for p in Preference.objects.filter(talent=talent)
        ],
        "offers": [
            {
                "title": o.rule.target_title,
                "reason": o.reason,
                "offered_at": _when(o.offered_at),
            }
            for o in Offer.objects.filter(talent=talent)
            .select_related("rule__policy", "rule__service_item")
            .order_by("offered_at", "id")
        ],
        "grants": [
            {
                "title": g.title,
                "reason": g.reason,
                "note": g.note,
                "window": g.window.name,
                "granted_at": _when(g.granted_at),
            }
            for g in Grant.objects.filter(talent=talent).select_related("window").order_by("granted_at", "id")
        ],
        "card_applications": [
            {
                "kind": a.get_kind_display(),
                "purpose": a.get_purpose_display(),
                "status": a.get_status_display(),
                "window": a.window.name,
                "note": a.note,
                "submitted_at": _when(a.submitted_at),
                "due_date": str(a.due_date),
                "return_reason": a.return_reason,
                "decided_at": _when(a.decided_at),
                "card_number": a.card.number if a.card_id else "",
                "materials": [
                    {"round": m.round, "name": m.name, "uploaded_at": _when(m.uploaded_at)}
                    for m in sorted(a.materials.all(), key=lambda m: (m.round, m.uploaded_at, m.pk))
                ],
                "events": [
                    {"at": _when(e.at), "event": e.get_kind_display()}
                    for e in sorted(a.events.all(), key=lambda e: (e.at, e.pk))
                ],
            }
            for a in CardApplication.objects.filter(talent=talent)
            .select_related("window", "card")
            .prefetch_related("materials", "events")
            .order_by("submitted_at", "id")
        ],
        "archive_reasons": [
            {
                "stated_at": _when(r.stated_at),
                "by": r.user.full_name or r.user.username,
                "purpose": r.get_purpose_display(),
                "expires_at": _when(r.expires_at),
            }
            for r in ArchiveReason.objects.filter(talent=talent)
            .select_related("user")
            .order_by("-stated_at", "-id")
        ],
        "filings": [_filing_entry(entry, talent) for entry in _filing_entries(talent)],
    }


def _filing_entries(talent):
    return (
        FilingTalent.objects.filter(talent=talent)
        .select_related(
            "version__filing__filer_window",
            "version__filing__filer_post__employer",
            "version__filing__parent_window",
        )
        .order_by("version__filed_at", "version_id")
    )


def _filing_entry(entry, talent) -> dict:
    """One filed version that lists the talent: who filed it with whom, and the talent's own line only."""
    version = entry.version
    filing = version.filing
    filer = filing.filer_window.name if filing.filer_window_id else filing.filer_post.employer.name
    own = next(
        (row for row in version.snapshot.get("talents", []) if row.get("id") == talent.pk),
        {},
    )
    return {
        "kind": filing.get_kind_display(),
        "period": filing.period.label,
        "filer": filer,
        "parent": filing.parent_window.name,
        "version": version.number,
        "filed_at": _when(version.filed_at),
        "as_filed": {key: own[key] for key in ("name", "category", "employer", "window") if key in own},
        "counts": own.get("counts", {}),
    }


@cache
def cjk_font_path() -> str:
    import cvttf_NotoSansCJK_Regular

    return str(Path(cvttf_NotoSansCJK_Regular.get_TTF_path()))


SECTION_TITLES = {
    "talent": "基本信息",
    "cards": "人才卡",
    "applications": "申办及同意",
    "requests": "个人信息权利请求",
    "access_log": "查看和导出记录",
    "gatherings": "联谊交流活动邀请和签到",
    "pushes": "收到的信息推送",
    "achievements": "成果宣传及公开同意",
    "arrival": "来临工作日期",
    "preferences": "主动推送设置",
    "offers": "政策找人推送",
    "grants": "免申即享记录",
    "card_applications": "惠才卡申请",
    "archive_reasons": "档案查阅事由",
    "filings": "备案报送中的本人信息",
}

FIELD_LABELS = {
    "name": "姓名",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "mobile": "手机号码",
    "category": "人才类别",
    "employer": "用人单位",
    "home_window": "属地窗口",
    "employment_status": "在职状态",
    "employment_confirmed_date": "在职确认日期",
    "lives_in_linyi": "在临沂居住",
    "residence_confirmed_date": "居住确认日期",
    "registered_at": "登记时间",
    "window": "窗口",
    "offers_opted_out": "不接收主动推送",
    "arrival_date": "来临工作日期",
    "statement": "同意内容",
    "given_at": "同意时间",
    "withdrawn_at": "撤回时间",
    "round": "轮次",
    "uploaded_at": "上传时间",
    "at": "时间",
    "event": "事项",
    **COUNT_LABELS,
}


def render_pdf(data: dict) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", "", cjk_font_path())
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 10, "惠才 · 个人信息副本", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    pdf.multi_cell(0, 6, f"生成时间：{data['generated_at']}", new_x="LMARGIN", new_y="NEXT")
    for key, title in SECTION_TITLES.items():
        pdf.ln(3)
        pdf.set_font("cjk", size=13)
        pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=10)
        section = data[key]
        if isinstance(section, dict):
            rows = [f"{FIELD_LABELS.get(k, k)}：{_text(v)}" for k, v in section.items()]
        else:
            rows = [
                "；".join(_text(v) for v in item.values() if v not in (None, "", [], {})) for item in section
            ] or ["无"]
        for row in rows:
            pdf.multi_cell(0, 6, row, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _text(value) -> str:
    if value is None:
        return "未登记"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, dict):
        # A nested record (a filing's line, a consent): labelled, so "2" says what it counts.
        return "，".join(
            f"{FIELD_LABELS.get(k, k)} {_text(v)}" for k, v in value.items() if v not in (None, "")
        )
    if isinstance(value, list):
        return "、".join(f"（{_text(v)}）" if isinstance(v, dict) else _text(v) for v in value)
    return str(value)

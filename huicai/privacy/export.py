"""Everything the system holds about one talent, as data (JSON) and as a printable PDF (PIPL art. 45).

The PDF embeds a CJK font that comes from PyPI alone (``cvttf-NotoSansCJK-Regular``: Noto Sans CJK,
SIL Open Font License), subset by fpdf2 to the characters used, so it renders the same on any phone and
needs no system package.
"""

from functools import cache
from pathlib import Path

from django.utils import timezone

from huicai.privacy.access import access_log


def _when(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def personal_data(talent) -> dict:
    """The talent's record, cards, applications with their consent, requests and who looked at the record."""
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
                "；".join(_text(v) for v in item.values() if v not in (None, "")) for item in section
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
    return str(value)

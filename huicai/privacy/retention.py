"""What a deletion or restriction request does to the rows the newer apps keep about a talent (PIPL art. 47).

Nothing here deletes: a request is answered by the home window (``actions.answer_request``), and this table
is what the window answers from. It lists, per kind of row, how many the talent has and what the law and the
project decided: rows that are official or service records are kept and their processing restricted
(``Outcome.RESTRICTED``, art. 47 second paragraph), and where the talent can stop the processing themselves
the page says how. docs/security.md explains each decision.
"""

from dataclasses import dataclass

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

KEEP = "keep"
STOPPABLE = "stoppable"
CORRECTABLE = "correctable"


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    model: type
    decision: str
    reason: str


RULES = [
    Rule(
        "gatherings",
        "联谊交流活动邀请和签到",
        Invitation,
        KEEP,
        "活动服务记录（W5-4），计入窗口工作记录，依法保存；不再邀请可在答复中说明。",
    ),
    Rule(
        "pushes",
        "收到的信息推送",
        PushReceipt,
        KEEP,
        "已发送通知的送达和阅读记录，依法保存；人才可在“我的推送设置”中退订主动推送。",
    ),
    Rule(
        "achievements",
        "成果宣传及公开同意",
        Achievement,
        STOPPABLE,
        "人才撤回公开同意后成果即从公开网站下线；同意及撤回记录作为同意凭证保存（PIPL 第14、15条）。",
    ),
    Rule(
        "arrival",
        "来临工作日期",
        ArrivalDate,
        CORRECTABLE,
        "属地窗口可更正；作为政策适用条件的依据保存。",
    ),
    Rule(
        "preferences",
        "主动推送设置",
        Preference,
        STOPPABLE,
        "人才本人随时修改。",
    ),
    Rule(
        "offers",
        "政策找人推送",
        Offer,
        KEEP,
        "已推送的记录，防止重复推送，依法保存；人才退订后不再推送。",
    ),
    Rule(
        "grants",
        "免申即享记录",
        Grant,
        KEEP,
        "政策兑现的服务档案（W16-1），依法须保存，不予删除。",
    ),
    Rule(
        "card_applications",
        "惠才卡申请",
        CardApplication,
        KEEP,
        "惠才卡申请及材料属申办档案（S11-4），依法须保存，不予删除。",
    ),
    Rule(
        "archive_reasons",
        "档案查阅事由",
        ArchiveReason,
        KEEP,
        "工作人员查阅档案的审计凭证，依法须保存，不予删除。",
    ),
    Rule(
        "filings",
        "备案报送中的本人信息",
        FilingTalent,
        KEEP,
        "已报送的备案是正式记录，版本一经报送不可更改或删除（W14、S18）。",
    ),
]

DECISION_LABELS = {KEEP: "依法须保存，限制处理", STOPPABLE: "人才可自行停止", CORRECTABLE: "可更正"}


def holdings(talent) -> list[dict]:
    """Each kind of row with the talent's count and the decision, for the window answering a request:
    one count per kind, a fixed number of queries however many rows the talent has."""
    return [
        {
            "key": rule.key,
            "title": rule.title,
            "count": rule.model.objects.filter(talent=talent).count(),
            "decision": DECISION_LABELS[rule.decision],
            "reason": rule.reason,
        }
        for rule in RULES
    ]

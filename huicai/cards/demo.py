"""Demo 惠才卡 applications (S11-4): the category rules, and applications in every state, made through the
same actions as the pages: one waiting past its review date, one returned, one returned, corrected and
approved (a card issued), a reissue of a lost card, and a renewal of a card about to run out. Idempotent:
nothing is added once the demo has applications."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huicai.cards import actions
from huicai.cards.choices import Purpose
from huicai.cards.models import CardApplication, CardRule
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post, UnitAssignment
from huicai.talents.choices import CardKind, CardStatus
from huicai.talents.models import TalentCard, TalentCategory

# category code -> [(kind, tier, valid years)]
RULES = {
    "A": [(CardKind.YIMENG, "A卡", 5), (CardKind.SHANDONG, "A卡", 5)],
    "B": [(CardKind.YIMENG, "A卡", 5), (CardKind.SHANDONG, "B卡", 5)],
    "C": [(CardKind.YIMENG, "B卡", 3), (CardKind.SHANDONG, "C卡", 3)],
    "D": [(CardKind.YIMENG, "C卡", 3)],
    "E": [(CardKind.YIMENG, "C卡", 3)],
}


def pdf(name="材料"):
    return SimpleUploadedFile(
        f"{name}.pdf", b"%PDF-1.4\n% demo material\n%%EOF\n", content_type="application/pdf"
    )


def load_rules():
    for code, rules in RULES.items():
        category = TalentCategory.objects.filter(code=code).first()
        if category is None:
            continue
        for kind, tier, years in rules:
            CardRule.objects.get_or_create(
                category=category, kind=kind, defaults={"tier": tier, "valid_years": years}
            )


def _candidates(at):
    """(talent, unit user, window reviewer) for talents with a unit commissioner and a window officer."""
    reviewers = {}
    for post in Post.objects.filter(kind=PostKind.WINDOW).active_at(at).select_related("user"):
        reviewers.setdefault(post.window_id, post.user)
    for assignment in (
        UnitAssignment.objects.open().select_related("talent__category", "post__user").order_by("talent_id")
    ):
        talent = assignment.talent
        if talent.home_window_id in reviewers:
            yield talent, assignment.post.user, reviewers[talent.home_window_id]


def load_demo(*, at) -> dict:
    load_rules()
    if CardApplication.objects.exists():
        return {"card_applications": 0}
    today = timezone.localdate(at)
    made = []
    without_valid, lost, expiring = [], [], []
    for talent, unit, reviewer in _candidates(at):
        cards = {(c.kind, c.status): c for c in TalentCard.objects.filter(talent=talent)}
        valid = cards.get((CardKind.YIMENG, CardStatus.VALID))
        if (CardKind.YIMENG, CardStatus.LOST) in cards and valid is None:
            lost.append((talent, unit, reviewer))
        elif valid is None:
            without_valid.append((talent, unit, reviewer))
        elif valid.valid_until_date <= today + datetime.timedelta(days=80):
            expiring.append((talent, unit, reviewer))
    week_ago = at - datetime.timedelta(days=10)

    def submit(entry, purpose=Purpose.NEW, when=at, note=""):
        talent, unit, _reviewer = entry
        return actions.submit_card_application(
            talent=talent,
            kind=CardKind.YIMENG,
            purpose=purpose,
            note=note,
            files=[("身份证明", pdf("身份证明")), ("人才认定证明", pdf("人才认定证明"))],
            by=unit,
            at=when,
        )

    if len(without_valid) >= 3:
        # Waiting past its review date: the scheduler's first pass flags it.
        made.append(submit(without_valid[0], when=week_ago, note="首次申领"))
        # Returned for a clearer certificate.
        returned = submit(without_valid[1], when=week_ago)
        actions.return_card_application(
            returned, reason="人才认定证明不清晰，请重新上传盖章件。", by=without_valid[1][2], at=week_ago
        )
        made.append(returned)
        # Returned, corrected and approved: the card is issued.
        entry = without_valid[2]
        approved = submit(entry, when=week_ago)
        approved = actions.return_card_application(
            approved, reason="缺少劳动合同首页。", by=entry[2], at=week_ago + datetime.timedelta(hours=2)
        )
        approved = actions.resubmit_card_application(
            approved,
            note="已补充劳动合同首页。",
            files=[("劳动合同首页", pdf("劳动合同首页"))],
            by=entry[1],
            at=week_ago + datetime.timedelta(days=1),
        )
        made.append(
            actions.approve_card_application(approved, by=entry[2], at=week_ago + datetime.timedelta(days=2))
        )
    if lost:
        entry = lost[0]
        reissue = submit(entry, purpose=Purpose.REISSUE, when=week_ago, note="原卡遗失，申请补办")
        made.append(
            actions.approve_card_application(reissue, by=entry[2], at=week_ago + datetime.timedelta(days=1))
        )
    if expiring:
        made.append(submit(expiring[0], purpose=Purpose.RENEWAL, note="有效期将满，申请续期"))
    return {"card_applications": len(made)}

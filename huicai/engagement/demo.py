"""Demo events, achievements, pushes and 政策找人, walked through the real actions (W5-4, W5-5, W16-1):

- a past 联谊交流会 at the 兰山区 window with invitations, answers (some yes, one no) and attendance taken
  by card and from the list; an upcoming salon the demo talent has not answered yet;
- an achievement of the demo talent published with their consent, and one waiting for it;
- a policy pushed by the 兰山区 window, read by some talents;
- eligibility rules on two policies and a catalogue item, with arrival dates for some talents, the offers
  the daily run makes, and one 免申即享 grant.

Idempotent: each gathering, achievement and push is found by its title, each rule by its policy or item.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from huicai.catalogue.models import ServiceItem
from huicai.engagement import actions
from huicai.engagement.choices import EmployerKind, PushKind, ReceiptChannel
from huicai.engagement.matching import find_matches, talents_for_matching
from huicai.engagement.models import Achievement, ArrivalDate, EligibilityRule, Gathering, Grant, Push
from huicai.policies.models import Policy
from huicai.talents.models import Talent, TalentCategory

PAST_GATHERING = "2026年春季高层次人才联谊交流会（演示）"
UPCOMING_GATHERING = "沂蒙人才创新创业沙龙（演示）"
PUBLISHED_ACHIEVEMENT = "新型抗肿瘤药物获批开展临床试验（演示）"
AWAITING_ACHIEVEMENT = "获评沂蒙英才创新领军人才（演示）"
PUSH_TITLE = "高层次人才住房补贴申报提醒（演示）"
HOUSING_POLICY = "临沂市高层次人才住房补贴实施细则"
POSTDOC_POLICY = "临沂市博士后科研工作站资助办法"
SCHOOL_ITEM = "LY-ZN-001"

DAY = datetime.timedelta(days=1)


def _user(username):
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def load_demo(*, at) -> None:
    talent = Talent.objects.filter(user__username="talent").select_related("home_window", "user").first()
    window, city = _user("window"), _user("city")
    if talent is None or window is None or city is None:
        return
    _gatherings(talent, window, at=at)
    _achievements(talent, window, at=at)
    _push(talent.home_window, window, at=at)
    _eligibility(talent, city, at=at)


def _gatherings(talent, window, *, at):
    home = talent.home_window
    if not Gathering.objects.filter(title=PAST_GATHERING).exists():
        start = at - 10 * DAY
        gathering = actions.create_gathering(
            window=home,
            title=PAST_GATHERING,
            description="人才代表交流发言、项目路演和用人单位对接。",
            place="兰山区人才之家多功能厅",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            by=window,
            at=at - 20 * DAY,
        )
        invitations = actions.invite_talents(gathering, windows=[home], by=window, at=at - 20 * DAY)
        answering = [i for i in invitations if i.talent.user_id][:8]
        for index, invitation in enumerate(answering):
            actions.answer_invitation(
                invitation, accept=index != 3, by=invitation.talent.user, at=at - (15 - index % 3) * DAY
            )
        for index, invitation in enumerate(i for n, i in enumerate(answering) if n != 3):
            if index >= 5:
                break
            door = start + datetime.timedelta(minutes=5 + index)
            card = invitation.talent.cards.filter(status="valid").first()
            if card is not None and index % 2 == 0:
                try:
                    actions.check_in_with_card(gathering, text=card.number, by=window, at=door)
                    continue
                except actions.ActionRefused:
                    pass  # a card not valid that day: ticked from the list instead
            actions.check_in_from_list(gathering, talent=invitation.talent, by=window, at=door)
        actions.close_gathering(gathering, by=window, at=start + datetime.timedelta(hours=4))
    if not Gathering.objects.filter(title=UPCOMING_GATHERING).exists():
        start = timezone.localtime(at + 7 * DAY).replace(hour=14, minute=30, second=0, microsecond=0)
        gathering = actions.create_gathering(
            window=home,
            title=UPCOMING_GATHERING,
            description="围绕科技成果转化和人才项目申报开展交流。",
            place="临沂市科技创新中心",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            by=window,
            at=at,
        )
        others = list(Talent.objects.visible_to(window).exclude(pk=talent.pk).order_by("pk")[:5])
        actions.invite_talents(gathering, talents=[talent, *others], by=window, at=at)


def _achievements(talent, window, *, at):
    if not Achievement.objects.filter(title=PUBLISHED_ACHIEVEMENT).exists():
        achievement = actions.record_achievement(
            talent,
            title=PUBLISHED_ACHIEVEMENT,
            summary="团队研发的一类创新药获国家药监局批准开展临床试验，填补了本地区该领域空白。",
            achieved_date=timezone.localdate(at - 30 * DAY),
            by=window,
            at=at - 6 * DAY,
        )
        actions.consent_to_publication(achievement, by=talent.user, at=at - 5 * DAY)
        actions.publish_achievement(achievement, by=window, at=at - 4 * DAY)
    if not Achievement.objects.filter(title=AWAITING_ACHIEVEMENT).exists():
        actions.record_achievement(
            talent,
            title=AWAITING_ACHIEVEMENT,
            summary="入选沂蒙英才计划创新领军人才。",
            achieved_date=timezone.localdate(at - 60 * DAY),
            by=window,
            at=at - DAY,
        )


def _push(home, window, *, at):
    if Push.objects.filter(title=PUSH_TITLE).exists():
        return
    policy = Policy.objects.in_force_on(timezone.localdate(at)).filter(title=HOUSING_POLICY).first()
    push = actions.send_push(
        window=home,
        kind=PushKind.POLICY if policy else PushKind.NOTICE,
        policy=policy,
        title=PUSH_TITLE,
        body="2026年度高层次人才住房补贴开始申报，符合条件的人才请于本月底前通过单位专员提交材料。",
        by=window,
        at=at - 2 * DAY,
    )
    readers = (
        push.receipts.filter(channel=ReceiptChannel.INBOX).select_related("talent__user").order_by("pk")[:6]
    )
    for receipt in readers:
        actions.read_push(push, by=receipt.talent.user, at=at - DAY)


def _eligibility(talent, city, *, at):
    today = timezone.localdate(at)
    # Arrival dates for some talents (来临工作日期), spread over the last six years, deterministic by id.
    for other in Talent.objects.order_by("pk")[:60]:
        if not ArrivalDate.objects.filter(talent=other).exists():
            arrival = datetime.date(2020, 1, 1) + datetime.timedelta(days=(other.pk * 37) % 2190)
            actions.record_arrival_date(other, arrival_date=min(arrival, today), by=city, at=at - 30 * DAY)
    housing = Policy.objects.in_force_on(today).filter(title=HOUSING_POLICY).first()
    postdoc = Policy.objects.in_force_on(today).filter(title=POSTDOC_POLICY).first()
    school = ServiceItem.objects.published().filter(code=SCHOOL_ITEM).first()
    rules = []
    if housing is not None:
        rules.append(
            _rule(
                {"policy": housing},
                max_age=50,
                arrived_from_date=datetime.date(2021, 1, 1),
                grant_without_application=True,
                note="2021年以来来临工作、50周岁以下的高层次人才，免申即享住房补贴。",
                by=city,
                at=at - 3 * DAY,
            )
        )
    if postdoc is not None:
        rules.append(
            _rule(
                {"policy": postdoc},
                max_age=40,
                employer_kinds=[EmployerKind.INSTITUTION, EmployerKind.ENTERPRISE],
                note="40周岁以下在站博士后。",
                by=city,
                at=at - 3 * DAY,
            )
        )
    if school is not None:
        rules.append(
            _rule(
                {"service_item": school},
                categories=list(TalentCategory.objects.filter(code__in=["A", "B", "C"])),
                note="A、B、C类人才子女入学。",
                by=city,
                at=at - 3 * DAY,
            )
        )
    for rule in rules:
        if not rule.offers.exists():
            actions.offer_rule(rule, at=at - 2 * DAY)
    grantable = next((r for r in rules if r.grant_without_application), None)
    if grantable is not None and not Grant.objects.filter(rule=grantable).exists():
        candidates = talents_for_matching(Talent.objects.visible_to(city).order_by("pk"), today)
        matches = find_matches([grantable], candidates, today)
        if matches:
            actions.grant_benefit(
                grantable, talent=matches[0].talent, note="补贴已按月拨付至本人账户。", by=city, at=at - DAY
            )


def _rule(target, *, by, at, **criteria):
    existing = EligibilityRule.objects.filter(**target).first()
    if existing is not None:
        return existing
    return actions.save_rule(**target, **criteria, by=by, at=at)

"""Demo difficulties in every state and an open check-in round at the 兰山区 window, walked through the
real actions: a suggestion waiting for the unit commissioner, one the window is handling, one escalated
to the city window, one resolved and closed, one a department sent to the window; a round with some
answers, one of which reports a talent who left and so opened a case. Idempotent: each difficulty is
found by its content, the round by its title."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from huicai.org.models import Window
from huicai.outreach import actions
from huicai.outreach.choices import Category, DifficultyKind
from huicai.outreach.models import CheckinRound, Difficulty
from huicai.talents.models import Talent

ROUND_TITLE = "2026年人才在临工作生活状态调度（演示）"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _once(content, make):
    """Run ``make`` only when no difficulty with this content exists yet."""
    if Difficulty.objects.filter(content=content).exists():
        return None
    return make(content)


@transaction.atomic
def load_demo(*, at) -> None:
    talent = Talent.objects.filter(user__username="talent").select_related("home_window").first()
    unit, window, city, dept = _user("unit"), _user("window"), _user("city"), _user("dept")
    if talent is None or None in (unit, window, city):
        return
    day = datetime.timedelta(days=1)

    def record(content, *, by, kind=DifficultyKind.DIFFICULTY, category=Category.OTHER, when, who=None):
        return actions.record_difficulty(
            talent=who or talent, kind=kind, category=category, content=content, by=by, at=when
        )

    # 1. A suggestion the talent made on their phone, waiting for the unit commissioner.
    _once(
        "建议在人才公寓周边增设公交站点，方便早晚通勤。",
        lambda text: record(
            text,
            by=talent.user,
            kind=DifficultyKind.SUGGESTION,
            category=Category.TRANSPORT,
            when=at - 2 * day,
        ),
    )

    # 2. Passed to the 兰山区 window, which is handling it.
    def at_window(text):
        difficulty = record(text, by=unit, category=Category.CHILDREN, when=at - 6 * day)
        actions.escalate_difficulty(
            difficulty, note="涉及跨区转学，请窗口协调教育部门。", by=unit, at=at - 5 * day
        )
        return actions.start_difficulty(difficulty, note="已联系区教育局。", by=window, at=at - 4 * day)

    _once("子女从外省转学至兰山区，转学手续需要协调。", at_window)

    # 3. Escalated all the way to the city window.
    def at_city(text):
        difficulty = record(text, by=unit, category=Category.SPOUSE, when=at - 10 * day)
        actions.escalate_difficulty(difficulty, note="单位无对口岗位，请窗口协调。", by=unit, at=at - 9 * day)
        return actions.escalate_difficulty(
            difficulty, note="涉及市直单位岗位，报市窗口协调。", by=window, at=at - 7 * day
        )

    _once("配偶随迁后就业岗位难以落实，希望协调市直事业单位岗位。", at_city)

    # 4. Resolved by the unit commissioner and closed by the talent.
    def closed(text):
        difficulty = record(text, by=talent.user, category=Category.HOUSING, when=at - 20 * day)
        actions.respond_to_difficulty(
            difficulty, response="已协调物业，三日内完成维修。", resolved=True, by=unit, at=at - 19 * day
        )
        return actions.close_difficulty(difficulty, note="已修好，谢谢。", by=talent.user, at=at - 15 * day)

    _once("人才公寓热水器损坏，物业维修不及时。", closed)

    # 5. A department commissioner met a difficulty while serving a talent and sent it to the window.
    if dept is not None:
        served = Talent.objects.visible_to(dept).order_by("pk").first()
        if served is not None:

            def from_department(text):
                difficulty = record(text, by=dept, category=Category.HOUSEHOLD, when=at - 3 * day, who=served)
                return actions.escalate_difficulty(
                    difficulty, note="需窗口协调原籍地开具证明。", by=dept, at=at - 3 * day
                )

            _once("办理落户时，原籍地证明材料难以取得。", from_department)

    _checkin_round(talent.home_window, window=window, talent=talent, at=at)


def _checkin_round(home, *, window, talent, at):
    """An open round at the 兰山区 window: the talent answered, a few unit commissioners answered, one
    reported a talent who left (a case for the window), the rest are still to answer."""
    lanshan = Window.objects.get(pk=home.pk)
    if CheckinRound.objects.filter(window=lanshan, title=ROUND_TITLE).exists():
        return
    if CheckinRound.objects.filter(window=lanshan, status="open").exists():
        return
    opened = at - datetime.timedelta(days=3)
    checkin_round = actions.open_checkin_round(
        window=lanshan,
        title=ROUND_TITLE,
        due_date=timezone.localdate(at) + datetime.timedelta(days=14),
        note="请各单位专员确认所对接人才是否在职、是否在临沂居住。",
        by=window,
        at=opened,
    )
    entries = list(
        checkin_round.entries.select_related("talent").exclude(talent=talent).order_by("talent_id")[:6]
    )
    own = checkin_round.entries.filter(talent=talent).first()
    if own is not None:
        actions.answer_checkin(
            own, employment_status="employed", lives_in_linyi=True, by=talent.user, at=opened
        )
    for index, entry in enumerate(entries):
        assignment = entry.talent.unit_assignments.open().select_related("post__user").first()
        if assignment is None:
            continue
        left = index == 0
        actions.answer_checkin(
            entry,
            employment_status="left" if left else "employed",
            lives_in_linyi=not left,
            note="已调往外地工作" if left else "",
            by=assignment.post.user,
            at=opened + datetime.timedelta(days=1),
        )

"""Demo commissioner management at the 兰山区 window, walked through the real actions: a year of changes
(appointments, departures and a transfer of six commissioners at 临沂医药集团 and 沂蒙智能装备, filed on
time, late, or still pending and flagged), trainings with attendance, the first weights version, monthly
and yearly scorecards, the year's commendation list decided by the city's manager, and one accountability
notice with its 约谈 record and the commissioner's response, awaiting the decision.

Idempotent: nothing is added when the first historical commissioner's account exists.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huicai.accounts.models import User
from huicai.commissioners.actions import appoint_commissioner, change_post_contact, end_post, transfer_post
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post, PostEvent
from huicai.org.models import Employer
from huicai.staffing import actions, selectors
from huicai.staffing.choices import Period
from huicai.staffing.jobs import remind_change_filings
from huicai.staffing.models import Scorecard

HISTORY = [
    # username, name, employer index, days before ``at`` of the appointment
    ("lanshan_hist_1", "韩雪", 0, 330),
    ("lanshan_hist_2", "孔亮", 0, 300),
    ("lanshan_hist_3", "冯刚", 1, 270),
    ("lanshan_hist_4", "陶然", 1, 240),
    ("lanshan_hist_5", "曹静", 0, 200),
    ("lanshan_hist_6", "严明", 1, 160),
]
WEIGHTS = {"steps": 30, "supplements": 20, "ratings": 20, "filings": 10, "training": 10, "rectifications": 10}


def _user(username):
    return User.objects.filter(username=username).first()


def _events_of(post, at):
    return PostEvent.objects.filter(post=post, at=at).select_related(
        "post__user", "post__employer__window", "post__window", "post__department", "post__undertaking_org"
    )


def _record(events, *, at):
    """The change records of ``events`` as the sweep would have made them at ``at`` (the sweep's rules)."""
    pending = set(actions.unrecorded_post_events().values_list("pk", flat=True))
    return [actions.record_change_of(event, at=at) for event in events if event.pk in pending]


@transaction.atomic
def load_demo(*, at) -> None:
    window_user, city_user = _user("window"), _user("city")
    if None in (window_user, city_user) or _user(HISTORY[0][0]) is not None:
        return
    lanshan = (
        Post.objects.filter(user=window_user, kind=PostKind.WINDOW).select_related("window").first().window
    )
    employers = list(Employer.objects.filter(window=lanshan).order_by("pk")[:2])
    # Each employer's changes are filed by its first unit commissioner of today.
    filers = [
        Post.objects.filter(kind=PostKind.UNIT, employer=employer, active_to__isnull=True)
        .order_by("pk")
        .first()
        .user
        for employer in employers
    ]
    day = datetime.timedelta(days=1)
    password_hash = make_password(settings.DEMO_PASSWORD)

    # A year of registry changes, each recorded when it happened; most filed on time, some late.
    posts = []
    for serial, (username, full_name, employer_index, days) in enumerate(HISTORY):
        person = User.objects.create(username=username, full_name=full_name, password=password_hash)
        when = at - days * day
        post = appoint_commissioner(
            user=person, kind=PostKind.UNIT, organisation=employers[employer_index], by=window_user, at=when
        )
        posts.append(post)
        for record in _record(_events_of(post, when), at=when):
            if serial in (1, 3):  # late: filed two and a half weeks after the change
                record = actions.file_change(
                    record, note="补报", by=filers[employer_index], at=when + 17 * day
                )
            else:
                record = actions.file_change(
                    record, note="新任单位专员", by=filers[employer_index], at=when + 2 * day
                )
            actions.acknowledge_change(record, by=window_user, at=record.filed_at + day)
    # 孔亮 leaves after seven months; 陶然 moves to the other employer.
    left = at - 90 * day
    end_post(posts[1], by=window_user, at=left, to_gap=True, reason="离职")
    for record in _record(_events_of(posts[1], left), at=left):
        actions.acknowledge_change(record, by=window_user, at=left + 3 * day)
    moved = at - 60 * day
    new_post = transfer_post(
        posts[3], organisation=employers[0], to_gap=True, by=window_user, at=moved, reason="单位内部调整"
    )
    for record in _record(_events_of(posts[3], moved), at=moved):
        actions.file_change(record, by=filers[1], at=moved + 4 * day)
    posts[3] = new_post
    # A change of contact the unit filed itself.
    actions.file_contact_change(
        posts[0],
        description="韩雪办公电话变更",
        change_date=timezone.localdate(at - 20 * day),
        by=filers[0],
        at=at - 18 * day,
    )
    # A change of contact the window corrected in the registry: its event makes the record, filed next day.
    corrected = at - 10 * day
    change_post_contact(
        posts[2], position="人力资源部主管", office_phone="0539-8316021", by=window_user, at=corrected
    )
    for record in _record(_events_of(posts[2], corrected), at=corrected):
        actions.file_change(record, by=filers[HISTORY[2][2]], at=corrected + day)
    # Everything else in the registry (the demo's commissioners, appointed today) waits to be filed.
    actions.record_post_changes(at=at)
    # One late appointment never filed: flagged overdue by the morning job.
    late = appoint_commissioner(
        user=User.objects.create(username="lanshan_hist_7", full_name="吕洋", password=password_hash),
        kind=PostKind.UNIT,
        organisation=employers[1],
        by=window_user,
        at=at - 20 * day,
    )
    _record(_events_of(late, at - 20 * day), at=at - 20 * day)
    remind_change_filings(at=at)

    # Training: three sessions over the year for whoever held a post then, and one today for everyone.
    current = [p for p in Post.objects.active_at(at).filter(employer__window=lanshan).order_by("pk")]
    current += list(Post.objects.active_at(at).filter(window=lanshan))
    for days, topic, hours in [
        (250, "高层次人才服务绿色通道政策解读", Decimal("4")),
        (120, "服务专员业务规范与一次办好", Decimal("6")),
        (40, "人才信息系统操作与数据安全", Decimal("3")),
    ]:
        when = timezone.localdate(at - days * day)
        session = actions.create_training_session(
            window=lanshan,
            topic=topic,
            session_date=when,
            hours=hours,
            organiser="兰山区人社局",
            by=window_user,
            at=at - days * day,
        )
        noon = datetime.datetime.combine(when, datetime.time(12), tzinfo=timezone.get_current_timezone())
        held = [
            p for p in Post.objects.filter(user__username__startswith="lanshan_hist_") if p.is_active_at(noon)
        ]
        # 严明 misses the sessions: below the minimum at the end of the year.
        actions.record_attendance(
            session,
            posts=[p for p in held if p.user.username != "lanshan_hist_6"],
            by=window_user,
            at=at - days * day,
        )
    today_session = actions.create_training_session(
        window=lanshan,
        topic="年度服务专员集中培训",
        session_date=timezone.localdate(at),
        hours=Decimal("8"),
        organiser="兰山区高层次人才服务窗口",
        by=window_user,
        at=at,
    )
    # Whoever held a post at noon: a demo loaded late in the day has people appointed since.
    noon = datetime.datetime.combine(
        timezone.localdate(at), datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    actions.record_attendance(
        today_session, posts=[p for p in current if p.is_active_at(noon)], by=window_user, at=at
    )

    # The assessment: the first weights, last two months' and this year's scorecards of the registry.
    actions.create_weights_version(weights=WEIGHTS, note="首版（演示）", by=city_user, at=at)
    today = timezone.localdate(at)
    registry = selectors.registry_posts(window=lanshan, year=today.year)
    first_of_month = today.replace(day=1)
    previous = (first_of_month - day).replace(day=1)
    before = (previous - day).replace(day=1)
    for start in (before, previous):
        held = set(actions.period_posts(period=Period.MONTH, period_start=start).values_list("pk", flat=True))
        actions.compute_scorecards(
            period=Period.MONTH, period_start=start, at=at, posts=[p for p in registry if p.pk in held]
        )
    year_start = datetime.date(today.year, 1, 1)
    actions.compute_scorecards(period=Period.YEAR, period_start=year_start, at=at, posts=registry)

    # The year's commendation list, decided by the city's manager.
    commendation = actions.draft_commendation_list(
        window=lanshan, year=today.year, size=3, by=window_user, at=at
    )
    actions.decide_commendation_list(
        commendation,
        note="同意通报表扬，并抄送其所在单位在评先树优中优先考虑。",
        by=city_user,
        at=at + datetime.timedelta(hours=1),
    )

    # One notice: 严明, who missed every training, with the 约谈 record and his response.
    card = Scorecard.objects.get(
        post__user__username="lanshan_hist_6", period=Period.YEAR, period_start=year_start
    )
    notice = actions.draft_accountability_notice(
        post=card.post,
        year=today.year,
        scorecard=card,
        reason="全年未参加业务培训，培训学时为 0，低于年度最低学时要求；服务工作不到位。",
        by=window_user,
        at=at,
    )
    notice = actions.issue_notice(notice, by=window_user, at=at + datetime.timedelta(minutes=10))
    actions.record_interview(
        notice,
        held_at=at + datetime.timedelta(minutes=20),
        interviewers="兰山区高层次人才服务窗口负责人",
        interviewees="严明及其所在单位人力资源部负责人",
        content="指出全年未参加培训、业务不熟悉的问题，听取单位说明。",
        commitment="一个月内补齐培训学时，每周向窗口报告服务情况。",
        by=window_user,
        at=at + datetime.timedelta(minutes=30),
    )
    actions.respond_to_notice(
        notice,
        response="已认识到问题，将按承诺补齐学时并改进服务。",
        by=card.post.user,
        at=at + datetime.timedelta(minutes=40),
    )

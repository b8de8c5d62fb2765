"""Chasing unanswered check-ins (S14-4): once per working day per round, on the official calendar.

2026-04-03 is a Friday, 2026-04-04 to 04-06 the 清明 holiday (Monday 04-06 a day off), 04-07 a Tuesday;
2026-05-09 is a Saturday made a working day (劳动节调休).
"""

from huicai.outreach import actions, jobs
from huicai.outreach.choices import CHECKIN_CHASE
from huicai.outreach.models import CheckinRound
from huicai.outreach.tests.conftest import inbox, local


def open_round(world, window="兰山区", by=None, at=None):
    return actions.open_checkin_round(
        window=world.windows[window],
        title="清明前状态调度",
        by=by or world.chen_jing,
        at=at or local(2026, 4, 3, 10),
    )


def chased(user):
    return len(inbox(user, CHECKIN_CHASE))


def test_the_opening_notice_is_the_days_reminder(world):
    open_round(world)

    result = jobs.chase_checkins(at=local(2026, 4, 3, 17))

    assert result["notified"] == 0
    assert chased(world.wang_fang) == 0


def test_two_runs_on_one_working_day_send_one_reminder_and_the_next_working_day_another(world):
    open_round(world)

    first = jobs.chase_checkins(at=local(2026, 4, 7, 9))
    second = jobs.chase_checkins(at=local(2026, 4, 7, 15))
    after_tuesday = chased(world.wang_fang)
    jobs.chase_checkins(at=local(2026, 4, 8, 9))

    assert (first["rounds"], first["notified"]) == (1, 1)
    assert (second["rounds"], second["notified"]) == (0, 0)
    assert after_tuesday == 1
    assert chased(world.wang_fang) == 2
    [notice] = inbox(world.wang_fang, CHECKIN_CHASE)[:1]
    assert (
        notice.body
        == "兰山区高层次人才服务窗口的状态调度中，您对接的 1 位人才尚未答复是否在职、是否在临沂居住。"
    )


def test_no_reminder_on_a_holiday_but_one_on_a_make_up_working_saturday(world):
    open_round(world)

    holiday = jobs.chase_checkins(at=local(2026, 4, 6, 9))
    jobs.chase_checkins(at=local(2026, 5, 9, 9))

    assert holiday == {"day": "2026-04-06", "working_day": False, "rounds": 0, "notified": 0}
    assert chased(world.wang_fang) == 1
    assert CheckinRound.objects.get().last_chased_date.isoformat() == "2026-05-09"


def test_each_round_reminds_its_own_unit_commissioners(world):
    open_round(world)
    open_round(world, window="罗庄区", by=world.sun_lei)

    result = jobs.chase_checkins(at=local(2026, 4, 7, 9))

    assert (result["rounds"], result["notified"]) == (2, 2)
    assert (chased(world.wang_fang), chased(world.qian_hui)) == (1, 1)
    assert chased(world.li_ming_user) == 0  # unit commissioners are chased, not talents


def test_answered_and_closed_rounds_are_not_chased(world):
    checkin_round = open_round(world)
    luozhuang = open_round(world, window="罗庄区", by=world.sun_lei)
    actions.answer_checkin(
        checkin_round.entries.get(),
        employment_status="employed",
        lives_in_linyi=True,
        by=world.wang_fang,
        at=local(2026, 4, 3, 11),
    )
    actions.close_checkin_round(luozhuang, by=world.sun_lei, at=local(2026, 4, 3, 12))

    result = jobs.chase_checkins(at=local(2026, 4, 7, 9))

    assert result["notified"] == 0
    assert (chased(world.wang_fang), chased(world.qian_hui)) == (0, 0)


def test_a_day_claimed_by_another_scheduler_after_this_one_listed_it_is_not_chased_again(world, monkeypatch):
    checkin_round = open_round(world)
    tuesday = local(2026, 4, 7, 9)
    listed = jobs._due_round_ids(tuesday.date())
    # Another scheduler process claims and sends Tuesday's reminder between this one's listing and its claim.
    jobs.chase_checkins(at=tuesday)
    monkeypatch.setattr(jobs, "_due_round_ids", lambda today: listed)

    result = jobs.chase_checkins(at=tuesday)

    assert listed == [checkin_round.pk]
    assert result["rounds"] == 0
    assert chased(world.wang_fang) == 1

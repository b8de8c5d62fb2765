"""W20 约谈: the talk, the explanation at the joint meeting, the rectification plan, its follow-up."""

import datetime

import pytest

from huicai.core.transitions import NotAllowed
from huicai.grading import actions, jobs
from huicai.grading.choices import InterviewAction, InterviewStatus
from huicai.grading.models import Interview
from huicai.workdays import calendar


@pytest.fixture
def interview(published):
    return Interview.objects.get()


def talk(g, interview):
    return actions.record_talk(
        interview,
        talk_date=g.at.date(),
        participants="市人社局分管负责同志；罗庄区窗口负责人高峰",
        record="指出按时办结率和满意率偏低，要求限期整改。",
        by=g.world.zhou_min,
        at=g.at,
    )


def explain(g, interview):
    return actions.record_explanation(
        interview,
        meeting_date=g.at.date(),
        explanation="高峰同志说明了原因和整改打算。",
        by=g.world.zhou_min,
        at=g.at,
    )


def test_the_interview_goes_from_talk_to_closing(g, interview):
    interview = talk(g, interview)
    assert interview.status == InterviewStatus.TALKED

    interview = explain(g, interview)
    assert interview.status == InterviewStatus.EXPLAINED

    interview = actions.submit_plan(
        interview, plan="专人盯办超期任务，每周调度。", days=20, by=g.gao_feng, at=g.at
    )
    assert interview.status == InterviewStatus.RECTIFYING
    assert interview.plan_due_date == calendar.add_working_days(g.at.date(), 20)

    interview = actions.close_interview(
        interview, note="复核按时办结率已达 98%，同意销号。", by=g.world.zhou_min, at=g.at
    )
    assert interview.status == InterviewStatus.CLOSED
    assert [e.action for e in interview.events.all()] == [
        InterviewAction.OPEN,
        InterviewAction.TALK,
        InterviewAction.EXPLAIN,
        InterviewAction.PLAN,
        InterviewAction.CLOSE,
    ]


def test_the_window_may_not_record_its_own_talk(g, interview):
    with pytest.raises(NotAllowed):
        actions.record_talk(
            interview, talk_date=g.at.date(), participants="", record="自述", by=g.gao_feng, at=g.at
        )


def test_a_plan_before_the_joint_meeting_is_refused(g, interview):
    talk(g, interview)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.submit_plan(interview, plan="方案", days=20, by=g.gao_feng, at=g.at)

    assert error.value.messages == [
        "该约谈当前为“已约谈，待联席会议说明”，不能执行此操作（可能已被他人处理，请刷新）。"
    ]


def test_a_talk_without_a_record_changes_nothing(g, interview):
    with pytest.raises(actions.GradingError) as error:
        actions.record_talk(
            interview, talk_date=g.at.date(), participants="", record=" ", by=g.world.zhou_min, at=g.at
        )

    assert error.value.messages == ["请填写约谈记录。"]
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.OPEN


def test_a_plan_deadline_out_of_range_is_refused(g, interview):
    explain(g, talk(g, interview))

    with pytest.raises(actions.GradingError) as error:
        actions.submit_plan(interview, plan="方案", days=0, by=g.gao_feng, at=g.at)

    assert error.value.messages == ["整改期限须为 1 到 120 个工作日。"]


def test_an_overdue_plan_is_flagged_once_and_a_near_one_reminded_once(g, interview):
    interview = actions.submit_plan(
        explain(g, talk(g, interview)), plan="方案", days=5, by=g.gao_feng, at=g.at
    )
    near = datetime.datetime.combine(
        calendar.add_working_days(g.at.date(), 3), datetime.time(9), tzinfo=datetime.UTC
    )

    assert jobs.follow_up_rectification_plans(at=near)["reminded"] == 1
    assert jobs.follow_up_rectification_plans(at=near)["reminded"] == 0

    overdue = datetime.datetime.combine(
        interview.plan_due_date + datetime.timedelta(days=1), datetime.time(9), tzinfo=datetime.UTC
    )
    assert jobs.follow_up_rectification_plans(at=overdue)["flagged"] == 1
    assert jobs.follow_up_rectification_plans(at=overdue)["flagged"] == 0
    assert g.gao_feng.notifications.filter(kind="grading_interview_overdue").count() == 1
    assert interview.events.filter(action=InterviewAction.OVERDUE, by=None).count() == 1


def test_the_follow_up_is_scheduled():
    from huicai.schedule import all_jobs

    assert "grading_follow_up_rectification_plans" in {job.name for job in all_jobs()}

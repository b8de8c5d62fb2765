"""The pages: who sees what (404 outside, 403 for a step not theirs), the drill-down behind every figure,
the forms that call the actions, and lists whose query count does not grow with the rows."""

import pytest
import time_machine

from huicai.grading import actions
from huicai.grading.choices import InterviewStatus, ObjectionStatus
from huicai.grading.models import Interview, Objection
from huicai.grading.tests.conftest import evaluate, result_of


def test_an_anonymous_visitor_is_sent_to_sign_in(client, g):
    response = client.get("/grading/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_menu_entry_is_for_city_staff_and_window_managers_only(login, g):
    assert "评估评价" in login(g.world.zhou_min).get("/").content.decode()
    assert "评估评价" in login(g.ma_li).get("/").content.decode()
    assert "评估评价" not in login(g.world.sun_lei).get("/").content.decode()
    assert login(g.world.sun_lei).get("/grading/").status_code == 403


def test_the_city_computes_a_year_from_the_page(login, g):
    response = login(g.world.zhou_min).post("/grading/", {"kind": "year", "year": "2025"})

    assert response.status_code == 302
    page = login(g.world.zhou_min).get(response["Location"])
    assert "2025 年度评估" in page.content.decode()


def test_a_bad_period_is_refused_on_the_page_and_nothing_is_computed(login, g):
    response = login(g.world.zhou_min).post("/grading/", {"kind": "quarter", "year": "2026"})

    assert response.status_code == 200
    assert "季度预评估请选择季度。" in response.content.decode()


def test_a_draft_is_hidden_from_the_windows(login, g):
    evaluation = evaluate(g)

    assert login(g.gao_feng).get(f"/grading/evaluations/{evaluation.pk}/").status_code == 404
    result = result_of(evaluation, g.luozhuang)
    assert login(g.gao_feng).get(f"/grading/results/{result.pk}/").status_code == 404


def test_a_window_sees_its_own_result_and_not_another_countys(login, g, published):
    own = result_of(published, g.luozhuang)
    other = result_of(published, g.lanshan)

    page = login(g.gao_feng).get(f"/grading/results/{own.pk}/")
    assert page.status_code == 200
    assert "不达标" in page.content.decode()
    assert login(g.gao_feng).get(f"/grading/results/{other.pk}/").status_code == 404
    listing = login(g.gao_feng).get(f"/grading/evaluations/{published.pk}/").content.decode()
    assert "罗庄区高层次人才服务窗口" in listing
    assert "兰山区高层次人才服务窗口" not in listing


def test_every_figure_links_to_the_records_behind_it(login, g, published):
    result = result_of(published, g.luozhuang)

    page = login(g.world.zhou_min).get(f"/grading/results/{result.pk}/records/on_time/")

    body = page.content.decode()
    assert g.late.number in body
    assert "超期" in body
    assert "按时办结率 = " in body


def test_the_drill_down_is_scoped_to_what_the_user_may_see(login, g, published):
    result = result_of(published, g.luozhuang)

    page = login(g.gao_feng).get(f"/grading/results/{result.pk}/records/satisfaction/").content.decode()

    assert g.late.number not in page  # ratings list no task numbers; the service name is shown
    assert "不满意" in page
    assert login(g.ma_li).get(f"/grading/results/{result.pk}/records/satisfaction/").status_code == 404


def test_an_indicator_without_records_reads_no_data(login, g, published):
    result = result_of(published, g.lanshan)

    page = (
        login(g.world.zhou_min)
        .get(f"/grading/results/{result.pk}/records/rectification_rate/")
        .content.decode()
    )

    assert "暂无数据" in page
    assert login(g.world.zhou_min).get(f"/grading/results/{result.pk}/records/nonsense/").status_code == 404


def test_the_manager_objects_from_the_page_and_the_city_answers(login, g, published):
    result = result_of(published, g.luozhuang)

    with time_machine.travel(g.at, tick=False):
        login(g.gao_feng).post(f"/grading/results/{result.pk}/object/", {"reason": "系统切换导致超期。"})
        objection = Objection.objects.get()
        login(g.world.zhou_min).post(
            f"/grading/results/{result.pk}/answer/",
            {"upheld": "1", "answer": "属实，调整。", "score": "70", "version": objection.version},
        )

    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD
    assert result_of(published, g.luozhuang).get_grade_display() == "达标"


def test_a_window_commissioner_posting_an_objection_is_refused(login, g, published):
    result = result_of(published, g.luozhuang)

    response = login(g.world.sun_lei).post(f"/grading/results/{result.pk}/object/", {"reason": "不服"})

    assert response.status_code == 403
    assert not Objection.objects.exists()


def test_an_empty_objection_changes_nothing(login, g, published):
    result = result_of(published, g.luozhuang)

    with time_machine.travel(g.at, tick=False):
        response = login(g.gao_feng).post(
            f"/grading/results/{result.pk}/object/", {"reason": ""}, follow=True
        )

    assert "该字段是必填项" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_interview_is_recorded_from_its_page(login, g, published):
    interview = Interview.objects.get()

    login(g.world.zhou_min).post(
        f"/grading/interviews/{interview.pk}/talk/",
        {
            "talk_date": g.at.date().isoformat(),
            "participants": "高峰",
            "record": "约谈记录。",
            "version": interview.version,
        },
    )

    interview.refresh_from_db()
    assert interview.status == InterviewStatus.TALKED
    assert login(g.ma_li).get(f"/grading/interviews/{interview.pk}/").status_code == 404
    response = login(g.gao_feng).post(
        f"/grading/interviews/{interview.pk}/close/", {"note": "自行销号", "version": interview.version}
    )
    assert response.status_code == 403


def test_a_report_is_drafted_issued_and_downloaded(login, g, published):
    city = login(g.world.zhou_min)

    response = city.post("/grading/reports/", {"evaluation": published.pk})
    report_url = response["Location"]
    report_id = report_url.rstrip("/").split("/")[-1]
    city.post(f"/grading/reports/{report_id}/issue/", {"version": 1})
    download = city.get(f"/grading/reports/{report_id}/download/pdf/")

    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment;")
    assert login(g.gao_feng).get(f"/grading/reports/{report_id}/download/pdf/").status_code == 404


def test_the_evaluation_page_costs_the_same_queries_for_more_windows(
    login, g, published, django_assert_max_num_queries
):
    city = login(g.world.zhou_min)
    city.get(f"/grading/evaluations/{published.pk}/")  # warm the session and the calendar

    with django_assert_max_num_queries(14):
        response = city.get(f"/grading/evaluations/{published.pk}/")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "url", ["/grading/", "/grading/interviews/", "/grading/reports/", "/grading/rubrics/"]
)
def test_the_lists_cost_a_fixed_number_of_queries(login, g, published, django_assert_max_num_queries, url):
    city = login(g.world.zhou_min)
    actions.draft_report(evaluation=published, by=g.world.zhou_min, at=g.at)
    actions.compute_evaluation(kind="quarter", year=2026, quarter=1, by=g.world.zhou_min, at=g.at)
    city.get(url)

    with django_assert_max_num_queries(14):
        response = city.get(url)

    assert response.status_code == 200


def test_the_drill_down_costs_a_fixed_number_of_queries(login, g, published, django_assert_max_num_queries):
    result = result_of(published, g.luozhuang)
    city = login(g.world.zhou_min)
    city.get(f"/grading/results/{result.pk}/records/on_time/")

    with django_assert_max_num_queries(14):
        assert city.get(f"/grading/results/{result.pk}/records/on_time/").status_code == 200


def test_a_window_reads_its_result_page_for_a_fixed_number_of_queries(
    login, g, published, django_assert_max_num_queries
):
    result = result_of(published, g.luozhuang)
    manager = login(g.gao_feng)
    manager.get(f"/grading/results/{result.pk}/")

    with django_assert_max_num_queries(20):
        page = manager.get(f"/grading/results/{result.pk}/")

    assert page.status_code == 200
    assert "按时办结率" in page.content.decode()

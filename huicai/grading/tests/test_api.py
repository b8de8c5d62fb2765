"""The REST API over the same actions: results scoped like the pages, objections and 约谈 steps with the
kernel's error codes."""

import time_machine

from huicai.grading.models import Interview
from huicai.grading.tests.conftest import evaluate, result_of


def test_a_window_lists_only_its_own_published_results(login, g, published):
    response = login(g.gao_feng).get("/api/v1/grading-results/")

    assert response.status_code == 200
    assert [row["window_name"] for row in response.json()["results"]] == ["罗庄区高层次人才服务窗口"]


def test_a_draft_is_not_served_to_a_window(login, g):
    result = result_of(evaluate(g), g.luozhuang)

    assert login(g.gao_feng).get(f"/api/v1/grading-results/{result.pk}/").status_code == 404


def test_the_figures_come_with_the_result(login, g, published):
    result = result_of(published, g.luozhuang)

    body = login(g.world.zhou_min).get(f"/api/v1/grading-results/{result.pk}/").json()

    assert body["figures"]["on_time"]["denominator"] == 1
    assert body["grade"] == "fail"


def test_an_objection_and_its_answer_over_the_api(login, g, published):
    result = result_of(published, g.luozhuang)

    with time_machine.travel(g.at, tick=False):
        filed = login(g.gao_feng).post(f"/api/v1/grading-results/{result.pk}/object/", {"reason": "系统切换"})
        again = login(g.gao_feng).post(f"/api/v1/grading-results/{result.pk}/object/", {"reason": "再次"})
        answered = login(g.world.zhou_min).post(
            f"/api/v1/grading-results/{result.pk}/answer/",
            {"upheld": True, "answer": "属实", "score": "75"},
            content_type="application/json",
        )

    assert filed.status_code == 200
    assert again.status_code == 409
    assert answered.json()["grade"] == "pass"


def test_a_window_commissioner_objecting_gets_a_403(login, g, published):
    result = result_of(published, g.luozhuang)

    response = login(g.world.sun_lei).post(f"/api/v1/grading-results/{result.pk}/object/", {"reason": "不服"})

    assert response.status_code == 403


def test_interview_steps_over_the_api_check_the_order_and_the_version(login, g, published):
    interview = Interview.objects.get()
    city = login(g.world.zhou_min)

    early = city.post(f"/api/v1/grading-interviews/{interview.pk}/close/", {"note": "销号"})
    stale = city.post(
        f"/api/v1/grading-interviews/{interview.pk}/talk/",
        {"talk_date": g.at.date().isoformat(), "record": "约谈", "version": 99},
    )
    bad = city.post(
        f"/api/v1/grading-interviews/{interview.pk}/talk/", {"talk_date": "昨天", "record": "约谈"}
    )
    talked = city.post(
        f"/api/v1/grading-interviews/{interview.pk}/talk/",
        {"talk_date": g.at.date().isoformat(), "record": "约谈", "version": interview.version},
    )

    assert early.status_code == 409
    assert stale.status_code == 409
    assert bad.status_code == 400
    assert talked.status_code == 200
    assert talked.json()["allowed_steps"] == ["explain"]
    assert login(g.ma_li).get(f"/api/v1/grading-interviews/{interview.pk}/").status_code == 404


def test_the_result_list_costs_a_fixed_number_of_queries(login, g, published, django_assert_max_num_queries):
    city = login(g.world.zhou_min)
    city.get("/api/v1/grading-results/")

    with django_assert_max_num_queries(10):
        assert city.get("/api/v1/grading-results/").status_code == 200

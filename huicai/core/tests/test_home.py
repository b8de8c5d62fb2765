"""The home page tells each role who they are and what their jurisdiction holds."""

import re

import pytest


def counts(response):
    return dict(re.findall(r'id="(\w+)-count">(\d+)<', response.content.decode()))


@pytest.mark.parametrize(
    "persona, role, talents, employers",
    [
        ("li_ming_user", "人才", "1", "1"),
        ("wang_fang", "单位专员", "1", "1"),
        ("chen_jing", "窗口专员", "1", "1"),
        ("sun_lei", "窗口专员", "1", "1"),
        ("zhou_min", "市级管理员", "2", "2"),
        ("zhao_qiang", "部门专员", "0", "0"),
        ("he_ping", "承办专员", "0", "0"),
        ("admin", "系统管理员", "2", "2"),
    ],
)
def test_each_role_sees_its_own_summary(world, login, persona, role, talents, employers):
    client = login(getattr(world, persona))

    response = client.get("/")

    assert response.status_code == 200
    assert role in response.content.decode()
    found = counts(response)
    assert (found["talent"], found["employer"]) == (talents, employers)


def test_anonymous_is_sent_to_the_login_page(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_the_home_page_query_count_is_bounded(world, login, django_assert_max_num_queries):
    client = login(world.zhou_min)

    with django_assert_max_num_queries(14):
        client.get("/")

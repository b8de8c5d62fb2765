"""The main menu offers each demo login exactly the pages it may use (issue 12: no menu path to a 403).

Every entry of ``menu.MENU`` is walked for every demo role: an entry shown opens (no 403, no 404); an entry
hidden is absent from the page and its view refuses with 403, so the menu and the view cannot disagree.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from huicai.demo import DEMO_LOGINS
from huicai.testing import force_login, kept_for_the_module
from huicai.workbench import menu

# What each demo login should find in its menu (labels, in order): the roles, as a reader checks them.
EXPECTED = {
    "talent": [
        "工作台",
        "申办",
        "直接服务",
        "预约",
        "评价",
        "困难诉求",
        "状态调度",
        "我的惠才卡",
        "我的档案",
        "惠享与活动",
        "政策",
        "人才风采",
        "消息",
    ],
    "unit": [
        "工作台",
        "人才",
        "申办",
        "任务",
        "直接服务",
        "预约",
        "评价",
        "困难诉求",
        "状态调度",
        "备案",
        "我的考核",
        "惠才卡",
        "政策",
        "人才风采",
        "消息",
    ],
    "window": [
        "工作台",
        "人才",
        "申办",
        "任务",
        "直接服务",
        "预约",
        "督导",
        "整改",
        "困难诉求",
        "专员名册",
        "备案",
        "专员管理",
        "我的考核",
        "活动与推送",
        "惠才卡",
        "导入导出",
        "服务事项",
        "政策",
        "人才风采",
        "消息",
    ],
    "dept": [
        "工作台",
        "人才",
        "申办",
        "任务",
        "直接服务",
        "预约",
        "督导",
        "整改",
        "困难诉求",
        "我的考核",
        "服务事项",
        "政策",
        "人才风采",
        "消息",
    ],
    "undertaking": [
        "工作台",
        "人才",
        "申办",
        "任务",
        "直接服务",
        "预约",
        "困难诉求",
        "我的考核",
        "政策",
        "人才风采",
        "消息",
    ],
}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    # The demo takes seconds to load: once for the module, each test in a savepoint rolled back within it.
    with kept_for_the_module(django_db_blocker):
        call_command("load_demo", "--allow-demo-accounts", verbosity=0)
        yield


@pytest.fixture
def demo(loaded, db):
    pass


def menu_labels(html: str) -> list[str]:
    nav = re.search(r'<nav id="main-menu".*?</nav>', html, re.S).group(0)
    # Each link's own words, before any badge (the unread count) inside it.
    return [label.strip() for label in re.findall(r'<a [^>]*href="[^"]*"[^>]*>([^<]*)', nav)]


@pytest.mark.parametrize("username", sorted(DEMO_LOGINS))
def test_every_menu_entry_opens_for_whom_it_is_shown_and_is_refused_to_the_others(demo, client, username):
    user = get_user_model().objects.get(username=username)
    force_login(client, user)
    shown = menu.entries_for(user)

    home = client.get("/")

    labels = menu_labels(home.content.decode())
    assert labels[: len(shown)] == [entry.label for entry in shown]
    for entry in menu.MENU:
        response = client.get(entry.url)
        if entry in shown:
            assert response.status_code == 200, (username, entry.url_name, response.status_code)
        elif entry.may_use is not menu.anonymous:
            # Hidden because the view refuses this person: the same predicate, a 403 in the site's layout.
            assert response.status_code == 403, (username, entry.url_name, response.status_code)
            assert "无权" in response.content.decode() or "权限" in response.content.decode()


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_sees_the_menu_of_its_work(demo, client, username):
    force_login(client, get_user_model().objects.get(username=username))

    labels = menu_labels(client.get("/").content.decode())

    assert labels[: len(EXPECTED[username])] == EXPECTED[username]
    assert labels[len(EXPECTED[username]) :] == [
        get_user_model().objects.get(username=username).get_full_name()
    ]


def test_a_visitor_sees_the_public_pages_and_the_login(demo, client):
    labels = menu_labels(client.get("/policies/").content.decode())

    assert labels == ["服务事项目录", "政策", "人才风采", "惠才卡查询", "登录"]


def test_a_talent_is_refused_the_staff_pages_in_chinese_with_a_way_back(demo, client):
    force_login(client, get_user_model().objects.get(username="talent"))

    for path in (
        "/supervision/",
        "/ratings/rectifications/",
        "/catalogue/staff/",
        "/talents/",
        "/cases/tasks/",
    ):
        response = client.get(path)

        assert response.status_code == 403, path
        page = response.content.decode()
        assert "Forbidden" not in page
        assert 'href="/"' in page  # the site's layout: the brand and the menu lead home

"""With DEBUG off, pages that fail get the site's Chinese error pages in its own layout: 404, 403, the
stale-form (CSRF) page and 500 — and the 500 page renders without touching the database."""

import pytest
from django.template import loader
from django.test import Client

from huicai.testing import force_login
from huicai.workbench import views as workbench_views


@pytest.fixture
def signed_in(world, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    force_login(client, world.zhou_min)
    return client


def test_a_crashing_page_gets_the_chinese_500_page_in_the_site_layout(signed_in, monkeypatch):
    def crash(user):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(workbench_views, "boards_for", crash)

    response = signed_in.get("/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in page
    assert 'class="topbar"' in page
    assert "secret internals" not in page


def test_the_500_page_renders_without_a_database_query():
    # No database fixture: a query while rendering would fail this test ("Database access not allowed").
    page = loader.get_template("500.html").render()

    assert "服务器内部错误" in page


def test_an_unknown_page_is_the_chinese_404_page_with_the_menu(signed_in):
    response = signed_in.get("/cases/tasks/987654321/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "您访问的页面或记录不存在" in page
    assert 'aria-label="主菜单"' in page


def test_a_board_the_user_does_not_hold_is_the_chinese_403_page(signed_in):
    response = signed_in.post("/workbench/unit/tasks/987654321/inform/")

    assert response.status_code == 403
    assert "无权操作" in response.content.decode()


def test_a_stale_form_is_the_chinese_csrf_page(world, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    force_login(client, world.zhou_min)

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()

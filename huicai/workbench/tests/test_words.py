"""Talents and visitors never read article numbers such as W10 or S11-3; staff may, as a small hint
(issue 12). Every page the demo talent reaches by following links, and the public pages, are checked."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from huicai.testing import force_login, kept_for_the_module
from huicai.workbench.tests.crawl import ARTICLE, crawl, visible_text


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        call_command("load_demo", "--allow-demo-accounts", verbosity=0)
        yield


@pytest.fixture
def demo(loaded, db):
    pass


def article_numbers(pages):
    found = {}
    for path, response in pages.items():
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            hits = ARTICLE.findall(visible_text(response.content.decode()))
            if hits:
                found[path] = hits
    return found


def test_no_page_the_talent_reaches_shows_an_article_number(demo, client):
    force_login(client, get_user_model().objects.get(username="talent"))

    pages = crawl(client, "/", limit=80)

    assert len([r for r in pages.values() if r.status_code == 200]) >= 15  # the walk really went somewhere
    assert not [path for path, r in pages.items() if r.status_code >= 500]
    assert article_numbers(pages) == {}


def test_no_public_page_shows_an_article_number(demo, client):
    pages = crawl(client, "/policies/", limit=40) | crawl(client, "/catalogue/", limit=40)

    assert len(pages) >= 10
    assert article_numbers(pages) == {}


def test_staff_see_the_article_as_a_small_hint(demo, client):
    force_login(client, get_user_model().objects.get(username="unit"))

    page = client.get("/workbench/unit/").content.decode()

    assert '<small class="hint">（S11）</small>' in page

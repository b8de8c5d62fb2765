"""The inbox pages: each user sees only their own messages; mark one or all read; the unread badge."""

import pytest
from django.urls import reverse

from huicai.notifications.actions import notify
from huicai.notifications.models import Notification

LOGIN = "/accounts/login/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/talents/"}


@pytest.fixture
def inbox(world):
    """Three messages for li_ming, one for chen_jing."""
    for title in ["政策一", "政策二", "政策三"]:
        notify([world.li_ming_user], kind="policy_published", title=title, link="/policies/", at=world.at)
    (other,) = notify([world.chen_jing], kind="catalogue.filed", title="事项报备", at=world.at)
    return other


# --- Who may open what: anonymous → login, another user's message → 404, wrong method → 405. ---


@pytest.mark.parametrize(
    "url_name, method",
    [("inbox", "get"), ("read_all", "post"), ("unread_count", "get")],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url_name, method):
    response = getattr(client, method)(reverse(f"notifications:{url_name}"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_anonymous_read_is_sent_to_the_login_page(client, inbox):
    response = client.post(reverse("notifications:read", args=[inbox.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_another_users_message_is_not_found(login, world, inbox):
    response = login(world.li_ming_user).post(reverse("notifications:read", args=[inbox.pk]))

    assert response.status_code == 404
    assert Notification.objects.get(pk=inbox.pk).read_at is None


@pytest.mark.parametrize("url_name", ["read_all"])
def test_changes_are_post_only(login, world, url_name):
    assert login(world.li_ming_user).get(reverse(f"notifications:{url_name}")).status_code == 405


def test_a_read_request_for_a_missing_message_is_not_found(login, world):
    assert login(world.li_ming_user).post(reverse("notifications:read", args=[999999])).status_code == 404


# --- The list. ---


def test_the_inbox_lists_only_the_users_own_messages_newest_first(login, world, inbox):
    response = login(world.li_ming_user).get(reverse("notifications:inbox"))

    assert response.status_code == 200
    titles = [n.title for n in response.context["page"]]
    assert titles == ["政策三", "政策二", "政策一"]
    assert "事项报备" not in response.content.decode()
    assert "全部标为已读" in response.content.decode()


def test_the_inbox_costs_the_same_queries_for_a_full_page_as_for_three(
    login, world, inbox, django_assert_num_queries
):
    client = login(world.li_ming_user)
    # session, user, the user's roles for the menu (talent record, posts), unread count (header badge and
    # the mark-all button share it), page count, page rows, and the session saved again (savepoint, update,
    # release: SESSION_SAVE_EVERY_REQUEST), and whether the person heads a department (the menu's 督导)
    with django_assert_num_queries(11):
        client.get(reverse("notifications:inbox"))
    for i in range(40):
        notify([world.li_ming_user], kind="policy_published", title=f"政策{i}", at=world.at)

    with django_assert_num_queries(11):
        response = client.get(reverse("notifications:inbox"), {"page": 2})

    assert len(response.context["page"]) == 43 - 25


def test_an_htmx_request_gets_the_table_alone(login, world, inbox):
    response = login(world.li_ming_user).get(reverse("notifications:inbox"), {"page": "1"}, **HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="inbox">')
    assert "<html" not in body


def test_a_page_number_that_is_not_a_number_shows_the_first_page(login, world, inbox):
    response = login(world.li_ming_user).get(reverse("notifications:inbox"), {"page": "abc"})

    assert response.status_code == 200
    assert response.context["page"].number == 1


# --- Reading. ---


def test_reading_a_message_marks_it_read_and_follows_its_link(login, world, inbox):
    message = Notification.objects.filter(recipient=world.li_ming_user).first()

    response = login(world.li_ming_user).post(reverse("notifications:read", args=[message.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/policies/"
    message.refresh_from_db()
    assert message.read_at is not None


@pytest.mark.parametrize("link", ["//evil.example/phish", "https://evil.example/", "javascript:alert(1)", ""])
def test_a_link_off_this_site_is_not_followed(login, world, link):
    (message,) = notify([world.li_ming_user], kind="policy_published", title="政策", link=link, at=world.at)

    response = login(world.li_ming_user).post(reverse("notifications:read", args=[message.pk]))

    assert response["Location"] == reverse("notifications:inbox")


def test_mark_all_read_marks_only_the_users_own_messages(login, world, inbox):
    response = login(world.li_ming_user).post(reverse("notifications:read_all"), follow=True)

    assert response.redirect_chain == [(reverse("notifications:inbox"), 302)]
    assert "已将 3 条消息标为已读。" in response.content.decode()
    assert "全部标为已读" not in response.content.decode()
    assert Notification.objects.filter(recipient=world.li_ming_user, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=inbox.pk).read_at is None


def test_mark_all_read_by_htmx_returns_the_table_and_tells_the_badge(login, world, inbox):
    response = login(world.li_ming_user).post(reverse("notifications:read_all"), **HTMX)

    assert response.status_code == 200
    assert response["HX-Trigger"] == '{"huicai:notifications": {}}'
    assert "<b>未读</b>" not in response.content.decode()


# --- The badge. ---


def test_the_badge_shows_the_unread_count(login, world, inbox):
    response = login(world.li_ming_user).get(reverse("notifications:unread_count"), **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert '<span class="badge" aria-label="未读消息">3</span>' in body
    assert body.startswith('<span id="unread-badge"')
    assert "no-cache" in response["Cache-Control"]


def test_the_badge_is_empty_when_everything_is_read(login, world, inbox):
    client = login(world.li_ming_user)
    client.post(reverse("notifications:read_all"))

    response = client.get(reverse("notifications:unread_count"), **HTMX)

    assert 'class="badge"' not in response.content.decode()


def test_the_badge_costs_one_query_of_its_own(login, world, inbox, django_assert_num_queries):
    client = login(world.li_ming_user)

    with django_assert_num_queries(6):  # session, user, the count, and the session saved (3)
        client.get(reverse("notifications:unread_count"), **HTMX)


def test_an_expired_session_sends_the_whole_page_to_the_login_form(client, db):
    response = client.get(reverse("notifications:unread_count"), **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?next=/talents/"

"""Bad input never gets a 500: every route with an object id in its path, asked for `abc`, for a number
too large for any database integer, or for an id that does not exist, answers 404 (405 where the method
is not offered, 403 where the user's role may not use the route at all) to a signed-in user — by GET and
by POST. Under /api/ the answer is the API's JSON error, never an HTML page."""

import re

from django.test import Client

from huicai.core.tests.test_route_policies import project_routes
from huicai.testing import force_login

# A parameter in a page route (<int:pk>) or an API route ((?P<pk>[0-9]+)), with its converter if any.
PARAMETER = re.compile(
    r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>(?:[^()]|\([^()]*\))*\)"
)

BAD_IDS = {
    "text": "abc",
    "huge": "9" * 30,  # beyond 64 bits: must not overflow the database driver
    "unknown": "987654321",
}
# Slugs that name a step or a section are not ids: a valid-looking one is kept, so the id is what is wrong.
KEPT_SLUGS = {"step": "accept", "name": "tasks", "hotline": "12345"}

ALLOWED = {403, 404, 405}


def object_routes():
    """Every project route (admin aside) with an object id or code in its path, by name."""
    return {name: route for name, route in project_routes().items() if takes_an_id(route)}


def takes_an_id(route):
    return any(
        not (match.group("converter") == "slug" and match.group("name") in KEPT_SLUGS)
        for match in PARAMETER.finditer(route)
    )


def bad_path(route, bad):
    def replace(match):
        name = match.group("name") or match.group("group")
        if match.group("converter") == "slug" and name in KEPT_SLUGS:
            return KEPT_SLUGS[name]
        return bad

    path = PARAMETER.sub(replace, route.replace("^", "").replace("$", ""))
    return "/" + path


def test_the_walk_covers_pages_and_the_api():
    routes = object_routes()

    assert sum(route.startswith("api/") for route in routes.values()) >= 50
    assert sum(not route.startswith("api/") for route in routes.values()) >= 50
    assert bad_path("api/v1/^tasks/(?P<pk>[0-9]+)/accept/$", "abc") == "/api/v1/tasks/abc/accept/"
    assert bad_path("supervision/rounds/<int:pk>/entries/<int:entry_pk>/answer/", "abc") == (
        "/supervision/rounds/abc/entries/abc/answer/"
    )


def walk_as(user):
    client = Client(raise_request_exception=False)
    force_login(client, user)
    answers = []
    for name, route in sorted(object_routes().items(), key=lambda pair: str(pair[0])):
        for kind, bad in BAD_IDS.items():
            path = bad_path(route, bad)
            for method in (client.get, client.post):
                response = method(path)
                answers.append((name, kind, method.__name__.upper(), path, response))
    return answers


# The city manager, a county window, a department, a unit commissioner and a talent: one world for all.
PERSONAS = ["zhou_min", "chen_jing", "zhao_qiang", "wang_fang", "li_ming_user", "he_ping", "sun_lei", "admin"]


def test_a_bad_id_is_a_404_on_every_route_for_every_role(world, monkeypatch):
    # Each persona walks every route with every bad id, well over the API's per-minute rate for one person
    # on a fast machine: the rate limit would answer 429 before the route is reached. Throttling has its
    # own tests (core/tests/test_rate_limits.py); here the limit is lifted for the walk.
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "1000000/min")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "1000000/min")
    answers = [(persona, *answer) for persona in PERSONAS for answer in walk_as(getattr(world, persona))]

    wrong = [
        (persona, name, kind, method, response.status_code)
        for persona, name, kind, method, path, response in answers
        if response.status_code not in ALLOWED
    ]
    assert wrong == [], "\n".join(map(str, wrong))
    html_under_api = [
        path
        for persona, name, kind, method, path, response in answers
        if path.startswith("/api/") and response["Content-Type"] != "application/json"
    ]
    assert html_under_api == [], "\n".join(html_under_api)

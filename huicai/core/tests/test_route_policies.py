"""Every route has a declared access policy, and anonymous visitors meet exactly that policy."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from huicai.core.routes import LOGIN, PUBLIC, all_policies

ROUTE_POLICIES = all_policies()


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name


def project_routes():
    seen = {}
    for route, name in walk(get_resolver().url_patterns):
        if route.startswith("admin/") or "format" in route:
            continue  # the admin has its own staff check; format suffixes repeat their route
        seen.setdefault(name, route)
    return seen


def sample_path(route):
    """A concrete path for a route pattern: ids become 1, codes a valid-looking code, names a name, regex
    anchors go."""
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<slug:\w+>", "accept", path)
    path = re.sub(r"<str:\w+>", "LY-XX-001", path)
    path = re.sub(r"\(\?P<code>[^)]*\)[^)]*\)", "LY-XX-001", path)
    path = re.sub(r"\(\?P<\w+>\[a-z\]\+\)", "talents", path)  # a name, such as an export's kind
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path


def test_every_route_declares_its_policy():
    undeclared = sorted(
        name or route for name, route in project_routes().items() if name not in ROUTE_POLICIES
    )

    assert undeclared == [], f"declare these in huicai/core/routes.py: {undeclared}"


def test_no_declaration_is_left_for_a_route_that_is_gone():
    names = set(project_routes())

    assert sorted(set(ROUTE_POLICIES) - names) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name, route", sorted(project_routes().items(), key=lambda pair: str(pair[0])))
def test_anonymous_visitors_meet_the_declared_policy(client, name, route):
    policy = ROUTE_POLICIES.get(name)
    path = sample_path(route)

    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path)

    if policy == LOGIN:
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), (path, response["Location"])
        else:
            assert response.status_code in (401, 403), (path, response.status_code)
    else:
        assert policy == PUBLIC
        assert response.status_code not in (302, 401, 403), (path, response.status_code)

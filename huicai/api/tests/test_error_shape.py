"""With DEBUG off, every error under /api/ is the documented JSON shape {"code", "message", "errors"}:
a crash inside a view, an unknown route and a non-numeric id alike. No HTML page and no traceback."""

import pytest
from django.test import Client

from huicai.talents.api import TalentViewSet
from huicai.testing import force_login


@pytest.fixture
def api(world, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    force_login(client, world.zhou_min)
    return client


def test_a_crash_inside_an_api_view_is_a_json_500_without_the_traceback(api, monkeypatch):
    def crash(self, request, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(TalentViewSet, "list", crash)

    response = api.get("/api/v1/talents/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "server_error",
        "message": "服务器内部错误，请稍后重试；问题已记录。",
        "errors": {},
    }
    assert b"secret internals" not in response.content


def test_an_unknown_api_route_is_a_json_404(api):
    response = api.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到，或您无权查看。", "errors": {}}


def test_a_non_numeric_id_is_a_json_404_at_the_url(api):
    response = api.post("/api/v1/tasks/abc/accept/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_id_too_large_for_the_database_is_a_json_404(api):
    response = api.get("/api/v1/talents/" + "9" * 30 + "/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_stale_csrf_token_on_an_api_path_is_json(world, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    force_login(client, world.zhou_min)

    response = client.post("/api/v1/tasks/1/accept/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "permission_denied"

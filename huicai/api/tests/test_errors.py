"""One exception handler maps the transitions kernel's refusals to HTTP for every app's API."""

import pathlib
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from huicai.api.errors import exception_handler
from huicai.casework import actions as casework
from huicai.core.transitions import ActionRefused, NotAllowed, StaleVersion
from huicai.ratings import actions as ratings


def answer(error):
    response = exception_handler(error, {})
    return response.status_code, response.data


def test_a_stale_version_is_409_conflict():
    assert answer(StaleVersion("该预约已被他人修改，请刷新页面后重试。")) == (
        409,
        {"code": "conflict", "message": "该记录已被他人修改，请刷新后重试。"},
    )


@pytest.mark.parametrize("invalid_transition", [casework.InvalidTransition, ratings.InvalidTransition])
def test_every_apps_invalid_transition_is_409_with_its_reason(invalid_transition):
    assert answer(invalid_transition("该申办已经提交。")) == (
        409,
        {"code": "invalid_transition", "message": "该申办已经提交。"},
    )


def test_not_allowed_is_one_403_body_with_the_actions_reason():
    assert answer(NotAllowed("只有属地窗口专员可以梳理分办。")) == (
        403,
        {"code": "permission_denied", "message": "只有属地窗口专员可以梳理分办。"},
    )


def test_a_bare_permission_denied_is_the_same_403_with_the_generic_message():
    assert answer(PermissionDenied()) == (
        403,
        {"code": "permission_denied", "message": "您没有执行此操作的权限。"},
    )
    assert answer(NotAllowed()) == answer(PermissionDenied())


def test_any_other_refusal_is_400_invalid_with_the_reason_as_an_error():
    assert answer(casework.CaseworkError("请说明退回原因。")) == (
        400,
        {
            "code": "invalid",
            "message": "提交的数据有误，请按提示修改。",
            "errors": {"non_field_errors": ["请说明退回原因。"]},
        },
    )
    assert answer(ActionRefused("x"))[0] == 400


def test_unseen_is_404():
    assert answer(Http404()) == (404, {"code": "not_found", "message": "未找到，或您无权查看。"})


def test_no_domain_app_imports_another_apps_api_module():
    root = pathlib.Path(__file__).resolve().parents[2]
    crossings = []
    for path in root.glob("*/**/*.py"):
        app = path.relative_to(root).parts[0]
        if app == "api":  # the API app wires every app's routes
            continue
        for other in re.findall(r"from huicai\.(\w+)(?:\.api import| import api\b)", path.read_text()):
            if other != app:
                crossings.append(f"{path.relative_to(root)} → {other}.api")

    assert crossings == []

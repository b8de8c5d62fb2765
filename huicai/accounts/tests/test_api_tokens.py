"""Programs sign in to the API with a token (issue 12): the login form's lockout and second factor apply,
only a hash is stored, tokens expire and are revoked, a system account's token reaches only its scope, and
missing or bad credentials are a 401 that says how to authenticate."""

import datetime
import hashlib

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from huicai.accounts.actions import assign_admin_role
from huicai.accounts.admins import AdminRole
from huicai.accounts.models import ApiToken, LoginFailure, TokenScope
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.core.models import AuditEvent
from huicai.testing import PASSWORD, bearer, current_code, force_login, give_second_factor, make_user

NOW = datetime.datetime(2026, 3, 3, 2, 0, tzinfo=datetime.UTC)
BAD_LOGIN = "用户名或密码错误。连续多次错误后账号将被暂时锁定。"


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel(NOW, tick=False):
        yield


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/tokens/sign-in/",
        {"username": username, "password": password, **extra},
        content_type="application/json",
    )


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def security(world):
    """The security administrator, appointed by the installation superuser."""
    officer = make_user("an_quan", "安全管理员")
    assign_admin_role(officer, role=AdminRole.SECURITY, by=world.admin, at=world.at)
    officer.refresh_from_db()
    return officer


@pytest.fixture
def hotline(world):
    """The 12345 hotline's integration: a system account (no password) at the city window."""
    account = get_user_model().objects.create_user("hotline_12345", password=None, full_name="12345热线对接")
    appoint_commissioner(
        user=account, kind=PostKind.WINDOW, organisation=world.windows["临沂市"], by=world.admin, at=world.at
    )
    return account


def test_a_unit_commissioner_signs_in_and_uses_the_token(world, client):
    answer = sign_in(client, "wang_fang", name="报表脚本")

    token = answer.json()["token"]
    assert answer.status_code == 201
    stored = ApiToken.objects.get(user=world.wang_fang)
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.key_hash, stored.prefix} and token.startswith(stored.prefix)
    assert (stored.name, stored.scope, stored.expires_at) == (
        "报表脚本",
        "full",
        NOW + datetime.timedelta(hours=12),
    )
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_OK, actor=world.wang_fang).exists()
    talents = Client().get("/api/v1/talents/", **auth(token))
    assert talents.status_code == 200
    assert [t["name"] for t in talents.json()["results"]] == ["李明"]


def test_a_wrong_password_is_a_401_and_counts_toward_the_same_lockout_as_the_form(world, client):
    answers = [sign_in(client, "wang_fang", "wrong-password") for _ in range(5)]
    locked = sign_in(client, "wang_fang")
    form = client.post("/accounts/login/", {"username": "wang_fang", "password": PASSWORD})

    assert {a.status_code for a in answers} == {401}
    assert answers[0].json() == {"code": "authentication_failed", "message": BAD_LOGIN}
    assert answers[0]["WWW-Authenticate"] == 'Bearer realm="api"'
    assert LoginFailure.objects.count() == 5
    assert locked.status_code == 401 and locked.json()["message"] == BAD_LOGIN
    assert form.status_code == 200  # the form refuses too: the account is locked for both
    assert not ApiToken.objects.exists()


def test_an_account_with_a_second_factor_must_present_its_code(world, client):
    give_second_factor(world.wang_fang)

    without = sign_in(client, "wang_fang")
    right = sign_in(client, "wang_fang", otp=current_code(world.wang_fang))
    wrong = sign_in(client, "wang_fang", otp="000000")

    assert without.status_code == 401
    assert without.json()["message"] == "该账号已绑定动态码：请在 otp 中填写当前动态码或恢复码。"
    assert wrong.status_code == 401
    assert right.status_code == 201
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_FAILED).count() == 2


def test_staff_who_must_use_a_second_factor_enrol_on_the_web_first(world, client):
    answer = sign_in(client, "chen_jing")

    assert answer.status_code == 403
    assert answer.json()["message"] == "该账号须使用动态码：请先在网页上登录并绑定动态码，再获取令牌。"
    assert not ApiToken.objects.exists()


def test_a_signed_out_token_and_an_expired_one_are_refused_with_the_reason(world, client):
    token = sign_in(client, "wang_fang").json()["token"]
    other = sign_in(client, "wang_fang").json()["token"]

    out = Client().post("/api/v1/tokens/sign-out/", **auth(token))
    after = Client().get("/api/v1/talents/", **auth(token))
    with time_machine.travel(NOW + datetime.timedelta(hours=13), tick=False):
        expired = Client().get("/api/v1/talents/", **auth(other))

    assert out.status_code == 200 and out.json()["revoked_at"] is not None
    assert after.status_code == 401
    assert after.json() == {"code": "authentication_failed", "message": "令牌无效或已撤销。"}
    assert expired.status_code == 401
    assert expired.json()["message"] == "令牌已过期，请重新获取。"


def test_no_credentials_or_a_made_up_token_is_a_401_that_says_how(db):
    anonymous = Client().get("/api/v1/tasks/")
    made_up = Client().get("/api/v1/tasks/", **auth("hc_made-up"))
    malformed = Client().get("/api/v1/tasks/", HTTP_AUTHORIZATION="Bearer two words")

    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == 'Bearer realm="api"'
    assert anonymous.json() == {"code": "not_authenticated", "message": "请先登录。"}
    assert made_up.status_code == 401 and made_up["WWW-Authenticate"] == 'Bearer realm="api"'
    assert malformed.status_code == 401
    assert malformed.json()["message"] == "令牌格式错误：请求头应为 Authorization: Bearer <令牌>。"


def test_a_deactivated_accounts_token_stops_working(world):
    headers = bearer(world.wang_fang)
    get_user_model().objects.filter(pk=world.wang_fang.pk).update(is_active=False)

    answer = Client().get("/api/v1/talents/", **headers)

    assert answer.status_code == 401
    assert answer.json()["message"] == "该账号已停用。"


def test_the_security_administrator_issues_a_hotline_token_that_reaches_only_the_hotline_endpoints(
    world, security, hotline
):
    admin = force_login(Client(), security)
    issued = admin.post(
        "/api/v1/tokens/",
        {
            "username": "hotline_12345",
            "name": "12345 热线对接",
            "scope": "hotline",
            "expires_at": "2026-06-30T00:00:00+08:00",
        },
        content_type="application/json",
    )
    token = issued.json()["token"]

    tasks = Client().get("/api/v1/tasks/", **auth(token))
    talents = Client().get("/api/v1/talents/", **auth(token))
    sign_out = Client().post("/api/v1/tokens/sign-out/", **auth(token))

    assert issued.status_code == 201
    assert (issued.json()["scope"], issued.json()["created_by"]) == ("hotline", "an_quan")
    stored = ApiToken.objects.get(user=hotline)
    assert stored.created_by == security and stored.expires_at == datetime.datetime(
        2026, 6, 29, 16, 0, tzinfo=datetime.UTC
    )
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_CHANGE, actor=security).exists()
    assert tasks.status_code == 200
    assert talents.status_code == 403
    assert talents.json() == {
        "code": "token_scope",
        "message": "该令牌的范围为“热线对接（仅热线相关接口）”，不能使用此接口。",
    }
    assert sign_out.status_code == 200


def test_a_read_only_token_reads_but_does_not_write(world, security, hotline):
    headers = bearer(hotline, scope=TokenScope.READ, by=security)

    read = Client().get("/api/v1/tasks/", **headers)
    write = Client().post("/api/v1/tasks/1/accept/", {}, content_type="application/json", **headers)
    widen = Client().post(
        "/api/v1/tokens/",
        {"username": "hotline_12345", "name": "x", "scope": "full", "expires_at": "2026-04-01T00:00:00Z"},
        content_type="application/json",
        **headers,
    )

    assert read.status_code == 200
    assert write.status_code == 403 and write.json()["code"] == "token_scope"
    assert widen.status_code == 403


@pytest.mark.parametrize(
    "username, by, status, message",
    [
        (
            "wang_fang",
            "security",
            400,
            "只能为系统账号（无登录密码的程序账号）签发令牌；个人请自行登录获取。",
        ),
        ("hotline_12345", "zhou_min", 403, "只有安全管理员可以为系统账号签发令牌。"),
    ],
)
def test_nobody_is_issued_a_token_for_a_persons_account_and_only_the_security_administrator_issues(
    world, security, hotline, username, by, status, message
):
    issuer = security if by == "security" else getattr(world, by)
    client = force_login(Client(), issuer)

    answer = client.post(
        "/api/v1/tokens/",
        {"username": username, "name": "x", "scope": "hotline", "expires_at": "2026-04-01T00:00:00Z"},
        content_type="application/json",
    )

    assert answer.status_code == status
    assert message in str(answer.json())
    assert not ApiToken.objects.exists()


def test_an_expiry_beyond_a_year_or_in_the_past_is_refused(world, security, hotline):
    client = force_login(Client(), security)

    def issue(expires_at, scope="hotline"):
        return client.post(
            "/api/v1/tokens/",
            {"username": "hotline_12345", "name": "x", "scope": scope, "expires_at": expires_at},
            content_type="application/json",
        )

    too_long = issue("2027-03-04T00:00:00Z")
    past = issue("2026-03-01T00:00:00Z")
    bad_scope = issue("2026-04-01T00:00:00Z", scope="everything")

    assert too_long.json()["errors"] == {"non_field_errors": ["令牌有效期最长 365 天。"]}
    assert past.json()["errors"] == {"non_field_errors": ["到期时间须晚于现在。"]}
    assert bad_scope.json()["errors"]["scope"] == [
        "“everything”不是合法选项。可选值：full（与账号权限相同）、read（只读）、hotline（热线对接（仅热线相关接口））。"
    ]
    assert not ApiToken.objects.exists()


def test_the_security_administrator_revokes_anyones_token_and_nobody_else_does(world, security):
    token = sign_in(Client(), "wang_fang").json()
    outsider = force_login(Client(), world.sun_lei)
    officer = force_login(Client(), security)

    by_outsider = outsider.post(f"/api/v1/tokens/{token['id']}/revoke/")
    by_officer = officer.post(f"/api/v1/tokens/{token['id']}/revoke/")
    again = officer.post(f"/api/v1/tokens/{token['id']}/revoke/")
    used = Client().get("/api/v1/talents/", **auth(token["token"]))

    assert by_outsider.status_code == 404
    assert by_officer.status_code == 200
    assert ApiToken.objects.get(pk=token["id"]).revoked_by == security
    assert again.status_code == 409 and again.json()["message"] == "该令牌已撤销。"
    assert used.status_code == 401


def test_the_token_list_shows_ones_own_tokens_never_the_token_itself(
    world, client, django_assert_max_num_queries
):
    for _ in range(3):
        sign_in(client, "wang_fang")
    sign_in(client, "qian_hui")
    holder = force_login(Client(), world.wang_fang)

    with django_assert_max_num_queries(8):
        listed = holder.get("/api/v1/tokens/")

    rows = listed.json()["results"]
    assert len(rows) == 3 and {row["username"] for row in rows} == {"wang_fang"}
    assert all("token" not in row and "key_hash" not in row for row in rows)


def test_a_session_post_without_the_csrf_token_says_so_in_chinese(world):
    browser = force_login(Client(enforce_csrf_checks=True), world.wang_fang)

    answer = browser.post("/api/v1/notifications/read-all/")

    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
    assert answer.json()["message"].startswith("CSRF 校验失败：")
    assert "X-CSRFToken" in answer.json()["message"]


def test_an_unknown_api_path_is_a_json_404_even_in_debug(world, settings):
    settings.DEBUG = True
    client = force_login(Client(), world.wang_fang)

    answer = client.get("/api/v1/no-such-thing/")
    bare = client.get("/api/nothing-here")

    assert answer.status_code == 404 and bare.status_code == 404
    assert answer.json() == {"code": "not_found", "message": "未找到，或您无权查看。", "errors": {}}
    assert bare["Content-Type"] == "application/json"


def test_the_security_administrator_revokes_a_token_in_the_admin_which_shows_no_hash(
    world, security, hotline
):
    headers = bearer(hotline, scope=TokenScope.HOTLINE, by=security)
    token = ApiToken.objects.get(user=hotline)
    admin = force_login(Client(), security)

    listing = admin.get("/admin/accounts/apitoken/")
    page = admin.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    revoked = admin.post(
        "/admin/accounts/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]}
    )

    assert listing.status_code == 200 and token.prefix in listing.content.decode()
    assert page.status_code == 200 and token.key_hash not in page.content.decode()
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == security
    assert Client().get("/api/v1/tasks/", **headers).status_code == 401


def test_the_schema_and_the_docs_say_how_to_sign_in(world):
    client = Client()
    client.defaults.update(bearer(world.wang_fang))

    schema = client.get("/api/schema/?format=json").json()
    docs = client.get("/api/docs/")

    assert "POST /api/v1/tokens/sign-in/" in schema["info"]["description"]
    assert "Authorization: Bearer <token>" in schema["info"]["description"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    assert schema["components"]["securitySchemes"]["sessionAuth"]["in"] == "cookie"
    sign_in_operation = schema["paths"]["/api/v1/tokens/sign-in/"]["post"]
    assert {"401", "403"} <= set(sign_in_operation["responses"])
    assert docs.status_code == 200


def test_nobody_issues_themselves_a_longer_token_than_signing_in_gives(world, security):
    client = force_login(Client(), security)

    answer = client.post(
        "/api/v1/tokens/",
        {"username": "an_quan", "name": "x", "scope": "full", "expires_at": "2026-12-31T00:00:00Z"},
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert answer.json()["errors"] == {"username": ["自己的令牌请通过登录（sign-in）获取。"]}
    assert not ApiToken.objects.exists()


def test_a_hotline_token_still_reads_the_schema(world, security, hotline):
    headers = bearer(hotline, scope=TokenScope.HOTLINE, by=security)

    assert Client().get("/api/schema/?format=json", **headers).status_code == 200


def test_the_superusers_token_is_audited_and_refused_when_its_web_use_is_off(world, settings):
    headers = bearer(world.admin)

    used = Client().get("/api/v1/tasks/", **headers)
    settings.HUICAI_SUPERUSER_WEB_LOGIN = False
    refused = Client().get("/api/v1/tasks/", **headers)
    signing_in = sign_in(Client(), "admin")

    assert used.status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SUPERUSER_REQUEST, actor=world.admin).exists()
    assert refused.status_code == 401
    assert refused.json()["message"] == "超级用户仅用于安装，生产环境不能使用接口。"
    assert signing_in.status_code == 403

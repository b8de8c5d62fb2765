"""`make run` loads the demo; every demo login works and sees only its jurisdiction."""

import io
import pathlib
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from huicai.accounts.demo import demo_totp_code, is_demo_staff_login
from huicai.commissioners.models import Post, UnitAssignment
from huicai.core.validators import region_names
from huicai.org.models import Department
from huicai.talents.choices import CardStatus
from huicai.talents.models import Talent, TalentCard
from huicai.testing import demo_for_the_module


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    # The demo takes seconds to load: once for the module, each test in a savepoint rolled back within it.
    with demo_for_the_module(django_db_blocker):
        yield


@pytest.fixture
def demo(loaded, db):
    pass


def sign_in(client, username):
    """The password, then (for a staff login) the demo's shared second factor, as demo_logins prints it."""
    response = client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302, username
    if is_demo_staff_login(username):
        verified = client.post("/accounts/second-factor/", {"code": demo_totp_code()})
        assert verified.status_code == 302, username
    return client


def test_a_second_load_neither_fails_nor_duplicates(demo):
    before = (
        Talent.objects.count(),
        TalentCard.objects.count(),
        Post.objects.count(),
        UnitAssignment.objects.count(),
    )

    call_command("load_demo", "--allow-demo-accounts", verbosity=0)

    after = (
        Talent.objects.count(),
        TalentCard.objects.count(),
        Post.objects.count(),
        UnitAssignment.objects.count(),
    )
    assert before == after


def test_the_demo_has_the_promised_shape(demo):
    assert 190 <= Talent.objects.count() <= 210
    assert Talent.objects.values("employer").distinct().count() >= 12
    assert Talent.objects.values("home_window").distinct().count() >= 3
    assert not Talent.objects.exclude(unit_assignments__active_to__isnull=True).exists()
    assert {row["status"] for row in TalentCard.objects.values("status").annotate(n=Count("id"))} == set(
        CardStatus.values
    )
    assert not Department.objects.annotate(n=Count("posts")).filter(n=0).exists()


def test_older_demo_talents_carry_todays_linyi_codes_with_a_birth_year_before_the_code(demo, client):
    numbers = [talent.id_number for talent in Talent.objects.all()]
    todays_codes_older_people = [n for n in numbers if n[:6] in ("371302", "371311") and int(n[6:10]) < 1994]
    old_code_only = [n for n in numbers if n[:6] == "372822"]
    sign_in(client, "dept")

    found = client.post(
        "/api/v1/direct-services/lookup/",
        {"id_number": todays_codes_older_people[0]},
        content_type="application/json",
    )

    assert len(todays_codes_older_people) >= 50
    assert old_code_only and region_names("372822") == ["山东省郯城县"]
    assert found.status_code == 200


def test_every_demo_login_works(demo, client):
    for username in ("talent", "unit", "window", "window2", "dept", "undertaking", "city", "admin"):
        sign_in(client, username)

        assert client.get("/").status_code == 200, username
        client.post("/accounts/logout/")


def test_the_lanshan_window_sees_lanshan_talents_and_gets_404_for_luozhuang(demo, client):
    sign_in(client, "window")
    lanshan = Talent.objects.filter(home_window__name__startswith="兰山区").first()
    luozhuang = Talent.objects.filter(home_window__name__startswith="罗庄区").first()

    listing = client.get("/api/v1/talents/?page_size=200").json()

    assert listing["count"] == Talent.objects.filter(home_window__name__startswith="兰山区").count()
    assert client.get(f"/talents/{lanshan.pk}/").status_code == 200
    assert client.get(f"/talents/{luozhuang.pk}/").status_code == 404
    assert client.get(f"/api/v1/talents/{luozhuang.pk}/").status_code == 404


def test_the_demo_talent_sees_only_himself_and_his_unit_commissioner_sees_him(demo, client):
    sign_in(client, "talent")
    mine = client.get("/api/v1/talents/").json()
    client.post("/accounts/logout/")
    sign_in(client, "unit")
    theirs = client.get("/api/v1/talents/?page_size=200").json()

    assert [t["name"] for t in mine["results"]] == ["李明"]
    assert mine["results"][0]["home_window_name"] == "兰山区高层次人才服务窗口"
    assert "李明" in [t["name"] for t in theirs["results"]]


def test_the_demo_logins_command_prints_every_login(demo, capsys):
    call_command("demo_logins")

    printed = capsys.readouterr().out
    for username in ("talent", "unit", "window", "window2", "dept", "undertaking", "city", "admin"):
        assert f"  {username} " in printed
    assert settings.DEMO_PASSWORD in printed


def test_demo_logins_prints_the_second_factor_key_and_the_current_code(demo, capsys):
    call_command("demo_logins")

    out = capsys.readouterr().out
    assert "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in out
    assert demo_totp_code() in out


README = pathlib.Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_lists_every_demo_login(demo):
    from huicai.ops.management.commands.demo_logins import every_login

    readme = README.read_text(encoding="utf-8")
    rows = every_login()

    missing = [f"{username} {who}" for username, who in rows if f" | {who} |" not in readme]
    assert missing == []
    # Ids may differ from one database to another; the count of department logins may not.
    assert len(re.findall(r"\| `dept_\d+` \|", readme)) == Department.objects.count() - 1  # `dept`: 市公安局
    assert "| `hotline_12345` |" in readme


def test_a_department_login_from_the_table_signs_in_with_the_demo_key(demo, client):
    department = Department.objects.exclude(name__contains="公安").order_by("pk").first()

    sign_in(client, f"dept_{department.pk}")

    assert client.get("/").status_code == 200


def test_the_hotline_system_account_gets_a_scoped_token_from_the_command(demo):
    out = io.StringIO()

    call_command(
        "issue_api_token",
        "hotline_12345",
        "--scope",
        "hotline",
        "--by",
        "admin",
        stdout=out,
        stderr=io.StringIO(),
    )

    headers = {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip()}"}
    assert Client().get("/api/v1/tasks/", **headers).status_code == 200
    assert Client().get("/api/v1/talents/", **headers).json()["code"] == "token_scope"
    refused = Client().post(
        "/accounts/login/", {"username": "hotline_12345", "password": settings.DEMO_PASSWORD}
    )
    assert refused.status_code == 200  # no password signs this account in on the web

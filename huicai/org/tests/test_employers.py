"""Employers are identified by a valid unified social credit code."""

from huicai.core.identifiers import make_credit_code
from huicai.org.models import Employer


def test_the_admin_refuses_a_bad_credit_code_and_saves_nothing(login, world):
    admin_client = login(world.admin)
    before = Employer.objects.count()

    response = admin_client.post(
        "/admin/org/employer/add/",
        {
            "name": "坏代码公司",
            "credit_code": "91371302MA3C0000X1",
            "window": world.windows["兰山区"].pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "统一社会信用代码校验位错误" in response.content.decode()
    assert Employer.objects.count() == before


def test_the_admin_accepts_a_valid_credit_code(login, world):
    admin_client = login(world.admin)
    code = make_credit_code("371302", 999)

    response = admin_client.post(
        "/admin/org/employer/add/",
        {"name": "好代码公司", "credit_code": code, "window": world.windows["兰山区"].pk, "is_active": "on"},
    )

    assert response.status_code == 302
    assert Employer.objects.filter(credit_code=code).exists()


def test_employers_are_scoped_to_the_window(world):
    assert list(Employer.objects.visible_to(world.chen_jing)) == [world.linyi_pharma]
    assert list(Employer.objects.visible_to(world.sun_lei)) == [world.luozhuang_steel]
    assert set(Employer.objects.visible_to(world.zhou_min)) == {world.linyi_pharma, world.luozhuang_steel}
    assert list(Employer.objects.visible_to(world.li_ming_user)) == [world.linyi_pharma]
    assert list(Employer.objects.visible_to(world.zhao_qiang)) == []

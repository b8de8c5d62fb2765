"""The shared cast of tests: named personas built through the real actions.

li_ming is a talent at Linyi Pharma (兰山区) whose unit commissioner is wang_fang; zhao_qiang is a
department commissioner at 市公安局; chen_jing is the 兰山区 window commissioner; zhou_min manages the city
window; sun_lei is the 罗庄区 window commissioner, an outsider to 兰山区; liu_yang is a 罗庄区 talent at
Luozhuang Steel, with unit commissioner qian_hui.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from huicai.accounts.models import User
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.core.identifiers import make_credit_code, make_mobile, make_resident_id
from huicai.org.models import Employer, UndertakingOrg
from huicai.org.reference import load_reference_data
from huicai.talents.actions import issue_card, register_talent
from huicai.talents.choices import CardKind
from huicai.talents.models import TalentCategory

PASSWORD = "Test-Password-2026!"
T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def make_user(username, full_name, **extra):
    return User.objects.create_user(username=username, password=PASSWORD, full_name=full_name, **extra)


def build_world(at=T0):
    from huicai.workdays.actions import seed_calendar

    ref = load_reference_data()
    windows, departments = ref["windows"], ref["departments"]
    seed_calendar(at=at, years=[2025, 2026])  # deadlines in tests count on the official calendar
    admin = make_user("admin", "系统管理员", is_superuser=True, is_staff=True)
    category_b, _ = TalentCategory.objects.get_or_create(
        code="B", defaults={"name": "国家级领军人才", "rank": 2}
    )
    category_c, _ = TalentCategory.objects.get_or_create(
        code="C", defaults={"name": "省级领军人才", "rank": 3}
    )

    linyi_pharma = Employer.objects.create(
        name="临沂医药集团", credit_code=make_credit_code("371302", 1), window=windows["兰山区"]
    )
    luozhuang_steel = Employer.objects.create(
        name="罗庄钢铁有限公司", credit_code=make_credit_code("371311", 2), window=windows["罗庄区"]
    )
    people_hospital = UndertakingOrg.objects.create(
        name="临沂市人民医院", department=departments["市卫生健康委"], division=ref["divisions"]["临沂市"]
    )

    def post(user, kind, organisation, **kw):
        return appoint_commissioner(user=user, kind=kind, organisation=organisation, by=admin, at=at, **kw)

    wang_fang = make_user("wang_fang", "王芳")
    wang_fang_post = post(wang_fang, PostKind.UNIT, linyi_pharma)
    qian_hui = make_user("qian_hui", "钱慧")
    qian_hui_post = post(qian_hui, PostKind.UNIT, luozhuang_steel)
    zhao_qiang = make_user("zhao_qiang", "赵强")
    post(zhao_qiang, PostKind.DEPARTMENT, departments["市公安局"])
    he_ping = make_user("he_ping", "何平")
    post(he_ping, PostKind.UNDERTAKING, people_hospital)
    chen_jing = make_user("chen_jing", "陈静")
    post(chen_jing, PostKind.WINDOW, windows["兰山区"])
    sun_lei = make_user("sun_lei", "孙磊")
    post(sun_lei, PostKind.WINDOW, windows["罗庄区"])
    zhou_min = make_user("zhou_min", "周敏", is_staff=True)
    post(zhou_min, PostKind.WINDOW, windows["临沂市"], is_manager=True)

    li_ming_user = make_user("li_ming", "李明")
    li_ming = register_talent(
        by=chen_jing,
        at=at,
        unit_commissioner=wang_fang_post,
        user=li_ming_user,
        name="李明",
        id_number=make_resident_id("372822", datetime.date(1982, 5, 17), 31),
        category=category_b,
        employer=linyi_pharma,
        home_window=windows["兰山区"],
        mobile=make_mobile(12345678),
    )
    liu_yang = register_talent(
        by=sun_lei,
        at=at,
        unit_commissioner=qian_hui_post,
        name="刘洋",
        id_number=make_resident_id("110108", datetime.date(1985, 9, 3), 52),
        category=category_c,
        employer=luozhuang_steel,
        home_window=windows["罗庄区"],
        mobile=make_mobile(22345678),
    )
    li_ming_card = issue_card(
        li_ming,
        kind=CardKind.YIMENG,
        number="YM2026000001",
        issued_date=datetime.date(2026, 1, 10),
        valid_until_date=datetime.date(2028, 1, 9),
        by=chen_jing,
        at=at,
    )
    return SimpleNamespace(
        at=at,
        today=timezone.localdate(at),
        windows=windows,
        departments=departments,
        divisions=ref["divisions"],
        category_b=category_b,
        category_c=category_c,
        linyi_pharma=linyi_pharma,
        luozhuang_steel=luozhuang_steel,
        people_hospital=people_hospital,
        admin=admin,
        wang_fang=wang_fang,
        wang_fang_post=wang_fang_post,
        qian_hui=qian_hui,
        qian_hui_post=qian_hui_post,
        zhao_qiang=zhao_qiang,
        he_ping=he_ping,
        chen_jing=chen_jing,
        sun_lei=sun_lei,
        zhou_min=zhou_min,
        li_ming=li_ming,
        li_ming_user=li_ming_user,
        li_ming_card=li_ming_card,
        liu_yang=liu_yang,
    )


BACKEND = "huicai.accounts.backends.LockoutModelBackend"


def force_login(client, user):
    """Sign ``client`` in as ``user`` past the password and the second factor, as if they had typed both
    (tests of pages; the sign-in itself is tested through the real forms in accounts/tests)."""
    from huicai.accounts import twofactor

    client.force_login(user, backend=BACKEND)
    session = client.session
    session[twofactor.GATE_KEY] = twofactor.OK
    session.save()
    return client


def current_code(user) -> str:
    """The code the user's authenticator app shows now (their confirmed TOTP device computes it)."""
    from django_otp.oath import totp

    from huicai.accounts import twofactor

    device = twofactor.confirmed_device(user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def give_second_factor(user):
    """A confirmed TOTP device for ``user``, as an enrolment leaves (``current_code`` reads it)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def sign_in(client, user, password=PASSWORD):
    """Sign in through the real forms: the password, then the current code of the user's device."""
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, response
    page = client.get(response["Location"])
    if page.status_code == 302 and page["Location"].startswith("/accounts/second-factor/"):
        path = page["Location"].split("?")[0]
        if path == "/accounts/second-factor/":
            client.post(path, {"code": current_code(user)})
    return client

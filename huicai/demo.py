"""Demo data: the real Linyi organisation plus a deterministic cast of employers, commissioners and
about 200 talents. Loading is idempotent: every row is found by its natural key first, so a second run
changes nothing."""

import datetime
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from huicai.accounts.demo import DEMO_TOTP_KEY, is_demo_staff_login
from huicai.accounts.models import User
from huicai.cards import demo as cards_demo
from huicai.casework import demo as casework_demo
from huicai.catalogue import demo as catalogue_demo
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core.identifiers import make_credit_code, make_mobile, make_resident_id
from huicai.directservices import demo as directservices_demo
from huicai.engagement import demo as engagement_demo
from huicai.exchange import demo as exchange_demo
from huicai.filings import demo as filings_demo
from huicai.grading import demo as grading_demo
from huicai.hotlines import demo as hotlines_demo
from huicai.notifications import demo as notifications_demo
from huicai.org.models import Employer, UndertakingOrg
from huicai.org.reference import load_reference_data
from huicai.outreach import demo as outreach_demo
from huicai.policies import demo as policies_demo
from huicai.ratings import demo as ratings_demo
from huicai.staffing import demo as staffing_demo
from huicai.supervision import demo as supervision_demo
from huicai.talents import demo as talents_demo
from huicai.talents.actions import change_card_status, issue_card, register_talent
from huicai.talents.choices import CardKind, CardStatus
from huicai.talents.models import Talent, TalentCard, TalentCategory
from huicai.workbench import demo as workbench_demo
from huicai.workdays import demo as workdays_demo

CATEGORIES = [
    ("A", "顶尖人才", "诺贝尔奖获得者、两院院士等国内外顶尖人才"),
    ("B", "国家级领军人才", "国家级重点人才工程入选者等"),
    ("C", "省级领军人才", "泰山学者、泰山产业领军人才等省级人才工程入选者"),
    ("D", "市级领军人才", "沂蒙英才计划等市级人才工程入选者"),
    ("E", "高级专业人才", "具有正高级职称或博士学位的专业人才"),
]

# (name, county key in the reference data, division code for the credit code)
EMPLOYERS = [
    ("临沂医药集团有限公司", "兰山区", "371302"),
    ("沂蒙智能装备股份有限公司", "兰山区", "371302"),
    ("临沂大学", "兰山区", "371302"),
    ("罗庄新材料科技有限公司", "罗庄区", "371311"),
    ("临沂钢铁投资集团有限公司", "罗庄区", "371311"),
    ("河东现代物流有限公司", "河东区", "371312"),
    ("沂河生物医药研究院", "河东区", "371312"),
    ("高新区光电子产业园有限公司", "高新区", "371371"),
    ("临沂经开区食品科技有限公司", "经开区", "371372"),
    ("沂水县农业科学研究所", "沂水县", "371323"),
    ("郯城县银杏产业研究院", "郯城县", "371322"),
    ("临沭县复合肥工程技术中心", "临沭县", "371329"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌海波宁鹏飞晨晓宇欣怡子涵浩然"

# The region code on each talent's ID card. A card carries the code of where the person was registered
# when it was issued, whatever the birth year: most older talents hold today's Linyi codes (兰山区 371302,
# 罗庄区 371311, both since 1994) with a birth year before them, others the old 临沂地区 code of 郯城县
# (372822, until 1994) or a Beijing one. Each code is paired with the one an earlier demo drew at the same
# place (same list lengths, so the same random draws): a database loaded by it is found again, not doubled.
BIRTHPLACES_BEFORE_1994 = [
    ("371302", "372822"),
    ("371311", "372823"),
    ("372822", "110108"),
    ("110108", "110101"),
]
BIRTHPLACES_ANY = [("110108", "110108"), ("110101", "110101")]

DEMO_LOGINS = {
    "talent": "人才 李明（兰山区，临沂医药集团）",
    "unit": "李明的单位专员（临沂医药集团）",
    "window": "兰山区窗口专员",
    "window2": "罗庄区窗口专员",
    "dept": "市公安局部门专员",
    "undertaking": "临沂市人民医院承办专员",
    "city": "市级窗口负责人",
    "admin": "系统管理员（超级用户）",
}
# Accounts for programs (no password: they reach the API only by a token the security administrator, or the
# superuser, issues: `manage.py issue_api_token hotline_12345 --scope hotline --days 30 --by admin`).
DEMO_SYSTEM_ACCOUNTS = {
    "hotline_12345": "12345 热线对接（系统账号）",
}


def _give_demo_second_factor():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for user in User.objects.filter(username__regex=r"^(window|dept|undertaking|city|admin)"):
        if not is_demo_staff_login(user.username):
            continue
        TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "演示", "key": DEMO_TOTP_KEY}
        )


UNDERTAKING_ORGS = [
    ("临沂市人民医院", "市卫生健康委"),
    ("临沂市中心医院", "市卫生健康委"),
    ("临沂第一中学", "市教育局"),
    ("临沂市公安局出入境管理支队", "市公安局"),
    ("临沂国际机场贵宾服务中心", "临沂国际机场"),
]


def _user(username, full_name, password_hash, **extra):
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "password": password_hash, **extra}
    )
    return user


def _post(user, kind, organisation, *, by, at, **extra):
    field = {
        "unit": "employer",
        "department": "department",
        "undertaking": "undertaking_org",
        "window": "window",
    }[kind]
    existing = Post.objects.filter(
        user=user, kind=kind, **{field: organisation}, active_to__isnull=True
    ).first()
    return existing or appoint_commissioner(
        user=user, kind=kind, organisation=organisation, by=by, at=at, **extra
    )


def load_demo(*, at) -> dict:
    """Everything the demo shows, in dependency order: the calendar, the organisation and people, the
    catalogue, policies, cases, notifications. Returns the demo logins as {username: description}."""
    workdays_demo.load_demo(at=at)
    logins = load_people(at=at)
    exchange_demo.load_demo(at=at)  # the sample files, through the importer: before the talents' accounts
    talents_demo.load_demo(at=at)
    workbench_demo.load_demo(at=at)
    catalogue_demo.load_demo(at=at)
    policies_demo.load_demo(at=at)
    directservices_demo.load_demo(at=at)
    casework_demo.load_demo(at=at)
    hotlines_demo.load_demo(at=at)  # after casework, whose demo skips a talent that already has a case
    ratings_demo.load_demo(at=at)
    outreach_demo.load_demo(at=at)
    supervision_demo.load_demo(at=at)
    filings_demo.load_demo(at=at)  # after the services it reports
    staffing_demo.load_demo(at=at)  # after the cases and ratings its scorecards count
    engagement_demo.load_demo(at=at)
    notifications_demo.load_demo(at=at)
    grading_demo.load_demo(at=at)  # after the services it grades
    cards_demo.load_demo(at=at)
    _give_demo_second_factor()
    return logins


@transaction.atomic
def load_people(*, at) -> dict:
    """The organisation, commissioners, talents and cards of the demo."""
    rng = random.Random(20210618)  # the measures' date: the same data on every machine
    ref = load_reference_data()
    windows, departments, divisions = ref["windows"], ref["departments"], ref["divisions"]
    password_hash = make_password(settings.DEMO_PASSWORD)  # hashed once: the demo shares one password

    admin = _user("admin", "系统管理员", password_hash, is_superuser=True, is_staff=True)
    categories = {}
    for rank, (code, name, description) in enumerate(CATEGORIES, start=1):
        categories[code], _ = TalentCategory.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "rank": rank}
        )

    employers = []
    for serial, (name, county, code) in enumerate(EMPLOYERS, start=1):
        employer, _ = Employer.objects.get_or_create(
            credit_code=make_credit_code(code, 7000 + serial),
            defaults={"name": name, "window": windows[county]},
        )
        employers.append(employer)

    undertaking = {}
    for name, dept in UNDERTAKING_ORGS:
        undertaking[name], _ = UndertakingOrg.objects.get_or_create(
            department=departments[dept], name=name, defaults={"division": divisions["临沂市"]}
        )

    # Window commissioners: the city window (its manager is the `city` login) and every county and zone.
    city_user = _user("city", "周敏", password_hash, is_staff=True)
    _post(
        city_user, PostKind.WINDOW, windows["临沂市"], by=admin, at=at, is_manager=True, position="窗口负责人"
    )
    window_logins = {"兰山区": "window", "罗庄区": "window2"}
    for index, (key, window) in enumerate(sorted(windows.items()), start=1):
        if key == "临沂市":
            username = "city_staff"
        else:
            username = window_logins.get(key, f"window_{window.division.code}")
        full_name = SURNAMES[(index * 7) % len(SURNAMES)] + GIVEN[(index * 11) % len(GIVEN)]
        user = _user(username, full_name, password_hash)
        _post(user, PostKind.WINDOW, window, by=admin, at=at)

    # Department commissioners for every department; `dept` is the 市公安局 one.
    for key, department in sorted(departments.items(), key=lambda item: item[1].pk):
        username = "dept" if key == "市公安局" else f"dept_{department.pk}"
        user = _user(username, f"{department.short_name}专员", password_hash)
        _post(user, PostKind.DEPARTMENT, department, by=admin, at=at)
    for name, org in sorted(undertaking.items()):
        username = "undertaking" if name == "临沂市人民医院" else f"undertaking_{org.pk}"
        user = _user(username, f"{name}承办专员", password_hash)
        _post(user, PostKind.UNDERTAKING, org, by=admin, at=at)

    # Two unit commissioners per employer; `unit` is the first at 临沂医药集团 (兰山区).
    unit_posts = {}
    for employer in employers:
        posts = []
        for n in (1, 2):
            username = "unit" if (employer is employers[0] and n == 1) else f"unit_{employer.pk}_{n}"
            surname = SURNAMES[(employer.pk * 3 + n) % len(SURNAMES)]
            user = _user(username, f"{surname}{GIVEN[(employer.pk * 5 + n) % len(GIVEN)]}", password_hash)
            posts.append(_post(user, PostKind.UNIT, employer, by=admin, at=at, position="人力资源部"))
        unit_posts[employer.pk] = posts

    for username, full_name in DEMO_SYSTEM_ACCOUNTS.items():
        _user(username, full_name, make_password(None))  # an unusable password: a system account
    talent_user = _user("talent", "李明", password_hash)
    today = at.date()
    for serial in range(1, 201):
        employer = employers[0] if serial == 1 else employers[rng.randrange(len(employers))]
        birth = datetime.date(rng.randrange(1960, 1992), rng.randrange(1, 13), rng.randrange(1, 29))
        birthplace, earlier_birthplace = rng.choice(
            BIRTHPLACES_BEFORE_1994 if birth.year < 1994 else BIRTHPLACES_ANY
        )
        id_number = make_resident_id(birthplace, birth, serial)
        # Every random draw happens whether or not the talent exists, so a second run sees the same data.
        name = SURNAMES[rng.randrange(len(SURNAMES))] + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
        )
        post = unit_posts[employer.pk][rng.randrange(2)]
        category = categories[rng.choice("ABCCDDDEEE")]
        employment_days, residence_days, lives_here = (
            rng.randrange(10, 200),
            rng.randrange(10, 200),
            rng.random(),
        )
        if serial == 1:
            name, post, category = "李明", unit_posts[employer.pk][0], categories["B"]
        talent = (
            Talent.objects.with_id_number(id_number).first()
            or Talent.objects.with_id_number(make_resident_id(earlier_birthplace, birth, serial)).first()
        )
        if talent is None:
            talent = register_talent(
                by=admin,
                at=at,
                unit_commissioner=post,
                reason="演示数据",
                user=talent_user if serial == 1 else None,
                name=name,
                id_number=id_number,
                category=category,
                employer=employer,
                home_window=employer.window,
                mobile=make_mobile(60000000 + serial * 7919),
                employment_confirmed_date=today - datetime.timedelta(days=employment_days),
                lives_in_linyi=lives_here > 0.05,
                residence_confirmed_date=today - datetime.timedelta(days=residence_days),
            )
        _demo_cards(talent, serial, rng, by=admin, at=at)

    return DEMO_LOGINS


def _demo_cards(talent, serial, rng, *, by, at):
    """Cards in every status: most valid, some expired by date, some revoked, some lost."""
    number = f"YM{2024 + serial % 3}{serial:06d}"
    if TalentCard.objects.filter(number=number).exists():
        return
    fate = serial % 10
    issued = datetime.date(2024 + serial % 3, 1 + serial % 12, 1 + serial % 27)
    valid_until = issued.replace(year=issued.year + 3) - datetime.timedelta(days=1)
    if fate == 7:  # a card that ran out before today
        issued = issued.replace(year=2021)
        valid_until = issued.replace(year=2024) - datetime.timedelta(days=1)
    card = issue_card(
        talent,
        kind=CardKind.YIMENG,
        number=number,
        issued_date=issued,
        valid_until_date=valid_until,
        by=by,
        at=at,
    )
    new_status = {7: CardStatus.EXPIRED, 8: CardStatus.REVOKED, 9: CardStatus.LOST}.get(fate)
    if new_status:
        change_card_status(card, status=new_status, by=by, at=at)
    if talent.category.code in "AB":
        sd_number = f"SD{serial:07d}"
        if not TalentCard.objects.filter(number=sd_number).exists():
            issue_card(
                talent,
                kind=CardKind.SHANDONG,
                number=sd_number,
                level="A" if talent.category.code == "A" else "B",
                issued_date=datetime.date(2025, 6, 1),
                valid_until_date=datetime.date(2030, 5, 31),
                by=by,
                at=at,
            )

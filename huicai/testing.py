"""The shared cast of tests: named personas built through the real actions.

li_ming is a talent at Linyi Pharma (兰山区) whose unit commissioner is wang_fang; zhao_qiang is a
department commissioner at 市公安局; chen_jing is the 兰山区 window commissioner; zhou_min manages the city
window; sun_lei is the 罗庄区 window commissioner, an outsider to 兰山区; liu_yang is a 罗庄区 talent at
Luozhuang Steel, with unit commissioner qian_hui.

The world is built once per test session and laid down again in each test that asks for it (``Snapshot``,
used by the ``world`` fixture in ``huicai/conftest.py``); an expensive load such as the demo is done once per
test module (``kept_for_the_module``), from rows captured once per test process (``demo_for_the_module``).
"""

import contextlib
import copy
import datetime
from types import SimpleNamespace
from typing import NamedTuple

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
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


class Snapshot:
    """The rows a builder adds (or changes) and the names of its objects, to lay down again cheaply.

    Building the world through the real actions costs about 800 queries; a test suite that does it for every
    test spends most of its time there. ``capture()`` runs the builder once, inside a transaction it rolls
    back, and keeps the rows it wrote as unsaved instances, primary keys included; ``restore()`` inserts them
    again (one bulk insert per table) and re-reads the named objects, so every test gets the same rows with
    the same ids and its own fresh instances, which no other test has touched. The database outside
    ``restore()`` stays as empty as before, so tests that never ask for the world, demo loads and the flush
    after a transactional test are unaffected.

    A snapshot can be layered on another (``base``): casework's items are captured on top of a restored
    world and laid down on top of the test's world, whose instances it shares.
    """

    def __init__(self, *, build, created, changed, names):
        self.build = build  # build(base namespace or None) -> namespace, through the real actions
        self.created = created  # [(model, [instance, ...])]: rows the build inserted
        self.changed = changed  # [(model, [instance, ...], [field name, ...])]: rows it updated
        self.names = names  # attribute -> value, _Ref, _BASE or {key: _Ref}

    @classmethod
    def capture(cls, build, *, base=None, using=DEFAULT_DB_ALIAS):
        with transaction.atomic(using=using):
            base_world = base.restore(using=using) if base else None
            before = _rows(using)
            world = build(base_world)
            after = _rows(using)
            transaction.set_rollback(True, using=using)
        created, changed = [], []
        for model, rows in after.items():
            old = before[model]
            if set(old) - set(rows):
                raise AssertionError(f"the build deleted {model._meta.label} rows: restore cannot")
            new = [instance for pk, (instance, _) in rows.items() if pk not in old]
            if new:
                created.append((model, new))
            updated = [
                instance for pk, (instance, values) in rows.items() if pk in old and old[pk][1] != values
            ]
            if updated:
                fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
                changed.append((model, updated, fields))
        names = {name: _name_of(value, base_world) for name, value in vars(world).items()}
        return cls(build=build, created=created, changed=changed, names=names)

    def restore(self, base_world=None, using=DEFAULT_DB_ALIAS):
        """Insert the rows again and return a namespace of fresh instances, as the builder did.

        With a base, the rows go on top of it (laid down by the base snapshot in this test) and the
        objects it already holds are its own instances, as when the builder was given them.
        """
        try:
            with transaction.atomic(using=using):
                for model, instances in self.created:
                    model._base_manager.using(using).bulk_create([copy.copy(obj) for obj in instances])
                for model, instances, fields in self.changed:
                    model._base_manager.using(using).bulk_update(
                        [copy.copy(obj) for obj in instances], fields
                    )
        except IntegrityError:
            # The test wrote rows of its own before asking for these (a seeded calendar, say) and the
            # snapshot's collide with them: build on top through the actions, as it always was.
            return self.build(base_world)
        known = {(type(obj), obj.pk): obj for obj in _instances(base_world)}
        wanted = {}
        for value in self.names.values():
            for ref in _references(value):
                if (ref.model, ref.pk) not in known:
                    wanted.setdefault(ref.model, set()).add(ref.pk)
        for model, pks in wanted.items():
            for pk, obj in model._base_manager.using(using).in_bulk(pks).items():
                known[(model, pk)] = obj
        # The builders leave this process's working-day calendar loaded (their actions count deadlines);
        # tests that count queries count on that.
        from huicai.workdays import calendar

        calendar.get_calendar()

        def fresh(value):
            if value is _BASE:
                return base_world
            if isinstance(value, _Ref):
                return known[(value.model, value.pk)]
            if isinstance(value, dict):
                return {key: fresh(item) for key, item in value.items()}
            return value

        return SimpleNamespace(**{name: fresh(value) for name, value in self.names.items()})


class _Ref(NamedTuple):
    model: type
    pk: object


_BASE = object()  # stands for the base namespace itself (``case.world``)


def _name_of(value, base_world):
    if base_world is not None and value is base_world:
        return _BASE
    if isinstance(value, models.Model):
        return _Ref(type(value), value.pk)
    if isinstance(value, dict):
        return {key: _name_of(item, base_world) for key, item in value.items()}
    if isinstance(value, SimpleNamespace):
        raise TypeError("a snapshot names model instances, dicts of them and plain values")
    return value


def _references(value):
    if isinstance(value, _Ref):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _references(item)


def _instances(world):
    """The model instances a namespace names, directly or in a dict."""
    for value in vars(world).values() if world is not None else ():
        items = value.values() if isinstance(value, dict) else [value]
        yield from (item for item in items if isinstance(item, models.Model))


def _rows(using):
    """Every row of every table, as {model: {pk: (instance, values)}}; for a diff before and after."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = model._meta.concrete_fields
        rows[model] = {
            obj.pk: (obj, tuple(getattr(obj, f.attname) for f in fields))
            for obj in model._base_manager.using(using).all()
        }
    return rows


@contextlib.contextmanager
def kept_for_the_module(django_db_blocker, **settings):
    """Database rows (and settings) set up once for a test module, rolled back after its last test.

    For a module-scoped fixture that loads something expensive, such as the demo: the load runs inside a
    transaction that stays open around the module's tests, each of which runs in a savepoint within it and
    is rolled back as usual, so every test starts from the freshly loaded data and no other module sees it.
    Passwords are hashed with MD5 while it loads, as in every test.
    """
    from django.test import override_settings

    settings.setdefault("PASSWORD_HASHERS", ["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), override_settings(**settings), transaction.atomic():
        yield
        transaction.set_rollback(True)


_demo_snapshots = {}  # database alias -> Snapshot of `load_demo`, captured once per test process


def demo_media_root() -> str:
    """Where the demo's uploaded files live for this test process: the rows of a demo laid down from the
    snapshot name files written when it was captured, so every demo-backed test reads them from here."""
    import tempfile

    root = _demo_snapshots.get("media_root")
    if root is None:
        root = _demo_snapshots["media_root"] = tempfile.mkdtemp(prefix="huicai-demo-media-")
    return root


def lay_down_demo(using=DEFAULT_DB_ALIAS):
    """The demo as ``manage.py load_demo --allow-demo-accounts`` leaves it, laid down in the current
    transaction: loaded through the real loader the first time in a test process (its rows captured as a
    ``Snapshot`` and rolled back), then inserted again from those rows, one bulk insert per table.

    Loading the demo through the actions takes 10-20 s; laying it down again takes a fraction of that. The
    demo is dated from the moment it is loaded, so a module that travels in time before loading it (or that
    tests the loader itself: its idempotency, its refusals) calls ``load_demo`` as before. Call it with
    ``MEDIA_ROOT`` set to ``demo_media_root()``, as ``demo_for_the_module`` does.
    """
    from django.core.management import call_command

    def load(_base):
        call_command("load_demo", "--allow-demo-accounts", verbosity=0)
        return SimpleNamespace()

    snapshot = _demo_snapshots.get(using)
    if snapshot is None:
        snapshot = _demo_snapshots[using] = Snapshot.capture(load, using=using)
    snapshot.restore(using=using)


@contextlib.contextmanager
def demo_for_the_module(django_db_blocker, **settings):
    """``kept_for_the_module`` with the demo laid down in it (``lay_down_demo``): the module's tests each run
    in a savepoint on top of the whole demo, as ``make run`` shows it."""
    settings["MEDIA_ROOT"] = demo_media_root()
    with kept_for_the_module(django_db_blocker, **settings):
        lay_down_demo()
        yield


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


def bearer(user, *, scope="full", by=None, days=1) -> dict:
    """Request headers carrying a new API token for ``user``, issued through the real action: their own
    (as signing in gives, for as long), or by ``by`` (the security administrator) for a system account with
    ``scope``, for ``days``."""
    from django.conf import settings

    from huicai.accounts.actions import issue_token

    now = timezone.now()
    lifetime = (
        datetime.timedelta(hours=settings.HUICAI_API_TOKEN_HOURS)
        if by is None
        else datetime.timedelta(days=days)
    )
    _token, key = issue_token(
        user,
        name="测试",
        scope=scope,
        expires_at=now + lifetime,
        by=by or user,
        at=now,
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

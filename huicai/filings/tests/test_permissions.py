"""Who sees a filing: its filer's window chain; unit reports by the unit commissioner and the chain of the
window they file with. Talents' names are masked for a viewer who may not see the talent."""

import datetime

import pytest

from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.core.identifiers import make_mobile, make_resident_id
from huicai.filings import access, actions
from huicai.filings.models import Filing
from huicai.filings.tests.conftest import APRIL_1, open_unit, open_window
from huicai.talents.actions import register_talent
from huicai.testing import force_login, make_user


@pytest.fixture
def filings(tree):
    world = tree.world
    return {
        "unit": actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1),
        "park": actions.file_filing(open_window(tree.park), by=tree.ma_li, at=APRIL_1),
        "lanshan": open_window(tree.lanshan),
        "luozhuang": open_window(tree.luozhuang),
    }


def seen_by(user):
    return set(Filing.objects.visible_to(user).values_list("pk", flat=True))


def test_the_permission_matrix(tree, filings):
    world = tree.world
    ids = {name: filing.pk for name, filing in filings.items()}
    expected = {
        # The unit commissioner sees their own report only.
        world.wang_fang: {"unit"},
        # The park sees its own filing; not its county's, not the county's unit reports.
        tree.ma_li: {"park"},
        # 兰山区 sees its own, its park's and the unit reports filed with it.
        world.chen_jing: {"unit", "park", "lanshan"},
        # 罗庄区 sees only its own.
        world.sun_lei: {"luozhuang"},
        # The city sees the whole tree.
        world.zhou_min: {"unit", "park", "lanshan", "luozhuang"},
        # Talents, department commissioners and other units see none.
        world.li_ming_user: set(),
        world.zhao_qiang: set(),
        world.qian_hui: set(),
        world.admin: {"unit", "park", "lanshan", "luozhuang"},
    }
    for user, names in expected.items():
        assert seen_by(user) == {ids[name] for name in names}, user.username


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("sun_lei", 404), ("li_ming_user", 404), ("zhou_min", 200), ("chen_jing", 200)],
)
def test_the_filing_page_is_a_404_outside_the_chain(client, tree, filings, who, status):
    if who != "anonymous":
        force_login(client, getattr(tree.world, who))

    response = client.get(filings["park"].get_absolute_url())

    assert response.status_code == status


def test_seeing_a_filing_is_not_reviewing_it(client, tree, filings):
    """The city sees the park's quarter but does not review it: that is 兰山区's (403)."""
    force_login(client, tree.world.zhou_min)

    response = client.post(f"/filings/{filings['park'].pk}/accept/", {"accept-version": ""})

    assert response.status_code == 403
    filings["park"].refresh_from_db()
    assert filings["park"].status == "filed"


def test_a_talent_the_viewer_may_not_see_is_masked(tree):
    """wang_fang's report is filed with 兰山区 and includes a talent at home in 罗庄区: 兰山区 sees the
    report but not that talent, whose name it sees masked; the unit commissioner sees both names."""
    world = tree.world
    zhang = register_talent(
        by=world.sun_lei,
        at=world.at,
        unit_commissioner=world.wang_fang_post,
        name="张伟强",
        id_number=make_resident_id("371311", datetime.date(1980, 1, 2), 11),
        category=world.category_c,
        employer=world.linyi_pharma,
        home_window=world.windows["罗庄区"],
        mobile=make_mobile(32345678),
    )
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    rows = filing.versions.get().snapshot["talents"]

    assert access.names_for(world.chen_jing, rows) == {world.li_ming.pk: "李明", zhang.pk: "张**"}
    assert access.names_for(world.wang_fang, rows) == {world.li_ming.pk: "李明", zhang.pk: "张伟强"}


def test_a_window_commissioner_at_the_parent_may_review_a_manager_elsewhere_may_not(tree, filings):
    deputy = make_user("wu_di", "吴迪")
    appoint_commissioner(
        user=deputy, kind=PostKind.WINDOW, organisation=tree.lanshan, by=tree.world.admin, at=tree.world.at
    )

    assert access.is_reviewer(deputy, filings["park"])
    assert not access.is_reviewer(tree.world.zhou_min, filings["park"])
    assert access.is_reviewer(tree.world.zhou_min, filings["lanshan"])

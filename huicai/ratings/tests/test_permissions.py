"""Who sees which ratings and rectifications: the talent their own, the unit commissioner their talents',
the department its own, the window its jurisdiction, the commissioner rated their own work; nobody else."""

from huicai.ratings.models import Rating, Rectification
from huicai.ratings.tests.conftest import completed_task, later, rate, rate_badly, serve


def visible(user):
    return set(Rating.objects.visible_to(user)), set(Rectification.objects.visible_to(user))


def test_each_side_sees_what_concerns_it_and_nothing_else(case):
    world = case.world
    li_ming_rating = rate_badly(completed_task(case), by=world.li_ming_user, at=later(world, days=1))
    liu_yang_rating = rate(
        completed_task(case, talent=world.liu_yang, unit=world.qian_hui),
        by=world.qian_hui,
        at=later(world, days=1),
    )
    housing_rating = rate(
        completed_task(case, item=case.housing), by=world.wang_fang, at=later(world, days=1)
    )
    rectification = li_ming_rating.rectification

    assert visible(world.li_ming_user) == ({li_ming_rating, housing_rating}, {rectification})
    assert visible(world.wang_fang) == ({li_ming_rating, housing_rating}, {rectification})
    assert visible(world.qian_hui) == ({liu_yang_rating}, set())
    assert visible(world.zhao_qiang) == ({li_ming_rating, liu_yang_rating}, {rectification})
    assert visible(case.housing_commissioner) == ({housing_rating}, set())
    assert visible(world.chen_jing) == ({li_ming_rating, housing_rating}, {rectification})
    assert visible(world.sun_lei) == ({liu_yang_rating}, set())
    assert visible(world.zhou_min) == ({li_ming_rating, liu_yang_rating, housing_rating}, {rectification})
    assert visible(world.admin) == ({li_ming_rating, liu_yang_rating, housing_rating}, {rectification})
    assert visible(world.he_ping) == (set(), set())


def test_the_commissioner_rated_sees_the_ratings_of_their_own_work(direct):
    world = direct.world
    service = serve(direct, by=world.he_ping, item=direct.health, place="临沂市人民医院体检中心")

    rating = rate(direct_service=service, by=world.li_ming_user, at=later(world, hours=1))

    assert set(Rating.objects.visible_to(world.he_ping)) == {rating}
    assert rating.department == world.departments["市卫生健康委"]


def test_anonymous_sees_nothing(case, task):
    from django.contrib.auth.models import AnonymousUser

    rate(task, by=case.world.li_ming_user, at=later(case.world, days=1))

    assert visible(AnonymousUser()) == (set(), set())

"""A rating is given once by its rater (W10 好差评): the admin shows it but cannot change it."""

from huicai.ratings.models import Rating
from huicai.ratings.tests.conftest import later, rate_badly


def test_a_ratings_levels_and_comment_cannot_be_changed_in_the_admin(case, task, login):
    world = case.world
    rating = rate_badly(task, by=world.wang_fang, at=later(world, days=1))
    before = Rating.objects.values().get(pk=rating.pk)
    client = login(world.admin)

    page = client.get(f"/admin/ratings/rating/{rating.pk}/change/")
    response = client.post(
        f"/admin/ratings/rating/{rating.pk}/change/",
        {"overall": "5", "comment": "非常满意", "excluded_reason": "管理员删除差评"},
    )
    deleted = client.post(f"/admin/ratings/rating/{rating.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert (response.status_code, deleted.status_code) == (403, 403)
    assert Rating.objects.values().get(pk=rating.pk) == before

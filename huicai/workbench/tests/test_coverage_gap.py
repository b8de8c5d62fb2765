"""S6: coverage counts talents whose unit commissioner still holds the post; the rest are the gap, listed on
the window board."""

import datetime

from huicai.commissioners.actions import end_post
from huicai.commissioners.models import Post

LATER = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=datetime.UTC)


def section(page, name):
    start = page.index(f'id="sec-{name}"')
    return page[start : page.index("</section>", start)]


def test_a_talent_whose_post_ended_is_in_the_gap_and_out_of_coverage(world, login):
    end_post(world.wang_fang_post, to_gap=True, by=world.chen_jing, at=LATER)

    stats = login(world.zhou_min).get("/workbench/dashboard/data/").json()["stats"]
    page = login(world.chen_jing).get("/workbench/window/").content.decode()

    assert (stats["talents"], stats["uncovered"], stats["coverage"]) == (2, 1, 50.0)
    assert '<b id="count-unassigned">1</b>' in page
    assert f'href="/talents/{world.li_ming.pk}/"' in section(page, "window_unassigned")


def test_an_open_period_left_on_an_ended_post_counts_as_a_gap_not_as_coverage(world, login):
    # The state the admin used to leave behind (a post ended with its talents still attached); the actions
    # can no longer reach it, but databases that hold it must not report it as coverage.
    Post.objects.filter(pk=world.wang_fang_post.pk).update(active_to=LATER)

    stats = login(world.zhou_min).get("/workbench/dashboard/data/").json()["stats"]
    page = login(world.chen_jing).get("/workbench/window/").content.decode()

    assert (stats["uncovered"], stats["coverage"]) == (1, 50.0)
    assert f'href="/talents/{world.li_ming.pk}/"' in section(page, "window_unassigned")


def test_with_every_post_held_coverage_is_whole(world, login):
    stats = login(world.zhou_min).get("/workbench/dashboard/data/").json()["stats"]

    assert (stats["uncovered"], stats["coverage"]) == (0, 100.0)

"""From November, administrators are told when next year's official calendar is not entered (W9)."""

import datetime

import time_machine

NOV = datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOV, tick=False)
def test_administrators_see_the_warning_on_their_pages_and_in_the_admin(world, login):
    admin = login(world.admin)

    home = admin.get("/").content.decode()
    admin_index = admin.get("/admin/").content.decode()
    city = login(world.zhou_min).get("/").content.decode()

    for page in (home, admin_index, city):
        assert 'id="calendar-warning"' in page
        assert "2027" in page


@time_machine.travel(NOV, tick=False)
def test_commissioners_are_not_bothered_with_it(world, login):
    page = login(world.chen_jing).get("/").content.decode()

    assert 'id="calendar-warning"' not in page


@time_machine.travel(datetime.datetime(2026, 6, 1, 2, 0, tzinfo=datetime.UTC), tick=False)
def test_before_november_nobody_is_warned(world, login):
    page = login(world.admin).get("/admin/").content.decode()

    assert 'id="calendar-warning"' not in page

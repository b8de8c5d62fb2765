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


@time_machine.travel(NOV, tick=False)
def test_the_banner_links_to_the_calendar_only_for_whom_the_page_opens(world, login):
    """Issue 12: the city manager's 录入工作日历 link led to a 403; now it says whom to ask instead."""
    admin = login(world.admin)
    city = login(world.zhou_min)

    admin_home = admin.get("/").content.decode()
    city_home = city.get("/").content.decode()

    assert '<a href="/admin/workdays/calendaryear/">录入工作日历</a>' in admin_home
    assert admin.get("/admin/workdays/calendaryear/").status_code == 200
    assert "/admin/workdays/calendaryear/" not in city_home
    assert "请联系系统管理员在后台录入工作日历。" in city_home
    assert city.get("/admin/workdays/calendaryear/").status_code == 403

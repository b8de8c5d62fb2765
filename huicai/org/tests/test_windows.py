"""The window tree (W3): a city window, county and park windows under it, no loops."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from huicai.org.choices import WindowLevel
from huicai.org.models import Window
from huicai.org.reference import COUNTIES, load_reference_data


def test_reference_data_has_linyi_and_its_twelve_counties_with_gb2260_codes(db):
    ref = load_reference_data()

    assert ref["divisions"]["临沂市"].code == "371300"
    assert ref["divisions"]["兰陵县"].code == "371324"
    assert {d.code for d in ref["divisions"]["临沂市"].children.filter(level="county")} == {
        c for c, _ in COUNTIES
    }


def test_reference_data_lists_the_w2_departments_and_loads_idempotently(db):
    first = load_reference_data()
    again = load_reference_data()

    assert len(first["departments"]) == len(again["departments"])
    assert {"市公安局", "市税务局", "临沂海关", "市住房公积金服务中心", "临沂国际机场"} <= set(
        first["departments"]
    )
    assert Window.objects.count() == 1 + 12 + 3


def test_every_county_window_files_up_to_the_city_window(db):
    windows = load_reference_data()["windows"]

    lanshan = windows["兰山区"]

    assert lanshan.parent == windows["临沂市"]
    assert lanshan.ancestors() == [windows["临沂市"]]
    assert lanshan.is_within(windows["临沂市"])
    assert not windows["临沂市"].is_within(lanshan)


def test_a_park_window_under_a_county_is_in_that_countys_subtree(db):
    windows = load_reference_data()["windows"]
    park = Window.objects.create(
        name="兰山区人才集团窗口",
        level=WindowLevel.GROUP,
        division=windows["兰山区"].division,
        parent=windows["兰山区"],
    )

    subtree = set(Window.objects.subtree_of([windows["兰山区"]]))

    assert subtree == {windows["兰山区"], park}
    assert park.ancestors() == [windows["兰山区"], windows["临沂市"]]


def test_a_window_cannot_become_its_own_descendants_child(db):
    windows = load_reference_data()["windows"]
    park = Window.objects.create(
        name="兰山区园区窗口",
        level=WindowLevel.PARK,
        division=windows["兰山区"].division,
        parent=windows["兰山区"],
    )
    lanshan = windows["兰山区"]
    lanshan.parent = park

    with pytest.raises(ValidationError) as caught:
        lanshan.save()

    assert "循环" in str(caught.value)
    lanshan.refresh_from_db()
    assert lanshan.parent == windows["临沂市"]


def test_a_window_cannot_be_its_own_parent(db):
    windows = load_reference_data()["windows"]
    lanshan = windows["兰山区"]
    lanshan.parent = lanshan

    with pytest.raises(ValidationError):
        lanshan.full_clean()


def test_moving_a_window_moves_its_subtree(db):
    windows = load_reference_data()["windows"]
    park = Window.objects.create(
        name="园区窗口", level=WindowLevel.PARK, division=windows["兰山区"].division, parent=windows["兰山区"]
    )
    leaf = Window.objects.create(
        name="园区分窗口", level=WindowLevel.PARK, division=park.division, parent=park
    )

    park.parent = windows["罗庄区"]
    park.save()

    leaf.refresh_from_db()
    assert leaf.ancestors() == [park, windows["罗庄区"], windows["临沂市"]]
    assert leaf.is_within(windows["罗庄区"])


def test_there_is_only_one_city_window(db):
    windows = load_reference_data()["windows"]

    with pytest.raises(IntegrityError), transaction.atomic():
        Window.objects.create(
            name="第二个市级窗口", level=WindowLevel.CITY, division=windows["临沂市"].division
        )


def test_the_admin_refuses_a_loop_with_a_chinese_error(admin_client, db):
    windows = load_reference_data()["windows"]
    city = windows["临沂市"]

    response = admin_client.post(
        f"/admin/org/window/{city.pk}/change/",
        {
            "name": city.name,
            "level": "city",
            "division": city.division_id,
            "parent": windows["兰山区"].pk,
            "host": city.host,
            "address": "",
            "phone": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "循环" in response.content.decode() or "市级窗口没有上级窗口" in response.content.decode()
    city.refresh_from_db()
    assert city.parent is None

"""Searching the talent list (a POSTed form: no ID number in a URL) by resident ID number: a number with a wrong part is told, not searched for,
and a number typed with a Chinese input method's full-width digits or spaces is found."""

import pytest


def test_a_search_by_a_number_with_a_wrong_check_digit_names_it_and_lists_nobody(world, login):
    client = login(world.zhou_min)
    number = world.li_ming.id_number
    mistyped = number[:-1] + ("1" if number[-1] != "1" else "2")

    content = client.post("/talents/", {"q": mistyped}, follow=True).content.decode()

    assert "居民身份证号码校验位错误" in content
    assert "李明" not in content and "刘洋" not in content


@pytest.mark.parametrize("typed", ["full-width", "spaced"])
def test_a_search_by_a_number_typed_with_full_width_digits_or_spaces_finds_the_talent(world, login, typed):
    client = login(world.zhou_min)
    number = world.li_ming.id_number
    query = {
        "full-width": "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number),
        "spaced": f"{number[:6]} {number[6:14]} {number[14:]}",
    }[typed]

    content = client.post("/talents/", {"q": query}, follow=True).content.decode()

    assert "李明" in content and "刘洋" not in content


def test_a_search_by_name_still_finds_by_name(world, login):
    client = login(world.zhou_min)

    content = client.post("/talents/", {"q": "刘洋"}, follow=True).content.decode()

    assert "刘洋" in content and "李明" not in content

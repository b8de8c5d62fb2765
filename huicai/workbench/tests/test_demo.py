"""The workbench's demo data: the talent's page can show how to reach the unit commissioner."""

from huicai.commissioners.models import Post
from huicai.demo import load_people
from huicai.workbench import demo


def test_it_fills_in_office_phones_and_the_demo_unit_mobile_once(db, world):
    load_people(at=world.at)

    demo.load_demo(at=world.at)
    first = dict(Post.objects.filter(kind="unit").values_list("pk", "office_phone"))
    demo.load_demo(at=world.at)
    second = dict(Post.objects.filter(kind="unit").values_list("pk", "office_phone"))

    assert first == second and all(phone.startswith("0539-8") for phone in first.values())
    from huicai.accounts.models import User

    assert User.objects.get(username="unit").mobile == "13839000001"


def test_it_leaves_a_phone_already_set_alone(db, world):
    world.wang_fang_post.office_phone = "0539-7777777"
    world.wang_fang_post.save(update_fields=["office_phone"])

    demo.load_demo(at=world.at)

    world.wang_fang_post.refresh_from_db()
    assert world.wang_fang_post.office_phone == "0539-7777777"

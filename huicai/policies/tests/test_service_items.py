"""W7: a new policy names the green-channel items it brings in; the public sees the published ones."""

import pytest
from django.core.exceptions import ValidationError

from huicai.catalogue import actions as catalogue
from huicai.catalogue.choices import Category, ServiceMode
from huicai.policies.actions import create_policy, edit_policy, publish_policy


def item_fields(world, code, name):
    return {
        "code": code,
        "name": name,
        "category": Category.HOUSING,
        "mode": ServiceMode.APPLICATION,
        "department": world.departments["市住房和城乡建设局"],
        "legal_days": 20,
        "committed_days": 10,
    }


@pytest.fixture
def items(world):
    city = catalogue.create_item(
        window=world.windows["临沂市"],
        by=world.zhou_min,
        at=world.at,
        **item_fields(world, "LY-ZF-901", "人才公寓租住申请"),
    )
    catalogue.publish_item(city, by=world.zhou_min, at=world.at)
    lanshan = catalogue.create_item(
        window=world.windows["兰山区"],
        by=world.chen_jing,
        at=world.at,
        **item_fields(world, "LS-ZF-901", "兰山区安家补贴申领"),
    )
    luozhuang = catalogue.create_item(
        window=world.windows["罗庄区"],
        by=world.sun_lei,
        at=world.at,
        **item_fields(world, "LZ-ZF-901", "罗庄区生活补贴申领"),
    )
    return {"city": city, "lanshan": lanshan, "luozhuang": luozhuang}


@pytest.fixture
def policy(world, items):
    return create_policy(
        by=world.chen_jing,
        at=world.at,
        window=world.windows["兰山区"],
        divisions=[world.divisions["兰山区"]],
        service_items=[items["city"], items["lanshan"]],
        title="兰山区人才安居办法",
        issuer="兰山区人力资源和社会保障局",
        issue_date=world.today,
        effective_date=world.today,
        body="人才可申请人才公寓和安家补贴。",
    )


def test_a_policy_names_published_items_and_the_windows_own_items_in_the_making(world, items, policy):
    assert set(policy.service_items.values_list("code", flat=True)) == {"LY-ZF-901", "LS-ZF-901"}
    assert list(items["city"].policies.all()) == [policy]


def test_a_policy_cannot_name_another_windows_unpublished_item(world, items, policy):
    with pytest.raises(ValidationError) as caught:
        edit_policy(policy, by=world.chen_jing, at=world.at, service_items=[items["luozhuang"]])

    assert caught.value.message_dict["service_items"] == ["所选服务事项不存在，或尚未公布且不在您的辖区内。"]
    assert policy.service_items.count() == 2


def test_the_public_sees_only_the_published_items_of_a_policy(world, items, policy, client, login):
    publish_policy(policy, by=world.chen_jing, at=world.at, notify_talents=False)

    public = client.get(policy.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/policies/{policy.pk}/").json()
    staff = login(world.chen_jing).get(policy.get_absolute_url()).content.decode()

    assert '<a href="/catalogue/LY-ZF-901/">人才公寓租住申请</a>' in public
    assert "兰山区安家补贴申领" not in public
    assert api["service_items"] == [{"code": "LY-ZF-901", "name": "人才公寓租住申请"}]
    assert "兰山区安家补贴申领（尚未公布）" in staff


def test_the_form_offers_only_usable_items(world, items, login):
    response = login(world.chen_jing).get("/policies/new/")

    offered = set(response.context["form"].fields["service_items"].queryset.values_list("code", flat=True))
    assert offered == {"LY-ZF-901", "LS-ZF-901"}

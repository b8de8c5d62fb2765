"""'Policies for me' (W16): in force, for the talent's category and for their region or the city."""

import datetime

from huicai.policies.access import get_policies_for_talent
from huicai.policies.actions import expire_policy
from huicai.policies.models import Policy

TODAY = datetime.date(2026, 3, 2)


def mine(talent):
    return sorted(get_policies_for_talent(talent, today=TODAY).values_list("title", flat=True))


def test_a_talent_gets_the_policies_of_their_category_and_region(world, draft):
    draft(title="全体", publish=True)
    draft(title="B类", categories=[world.category_b], publish=True)
    draft(title="C类", categories=[world.category_c], publish=True)
    draft(title="全市", divisions=[world.divisions["临沂市"]], publish=True)
    draft(title="兰山区", divisions=[world.divisions["兰山区"]], publish=True)
    draft(title="罗庄区", divisions=[world.divisions["罗庄区"]], publish=True)
    draft(
        title="兰山区B类", categories=[world.category_b], divisions=[world.divisions["兰山区"]], publish=True
    )
    draft(
        title="兰山区C类", categories=[world.category_c], divisions=[world.divisions["兰山区"]], publish=True
    )

    assert mine(world.li_ming) == ["B类", "全体", "全市", "兰山区", "兰山区B类"]
    assert mine(world.liu_yang) == ["C类", "全体", "全市", "罗庄区"]


def test_drafts_expired_and_not_yet_effective_policies_are_left_out(world, draft):
    draft(title="草稿")
    expire_policy(draft(title="已废止", publish=True), by=world.zhou_min, at=world.at)
    draft(title="下月生效", effective_date=datetime.date(2026, 4, 1), publish=True)
    lapsed = draft(title="已到期", publish=True)
    Policy.objects.filter(pk=lapsed.pk).update(expiry_date=TODAY)
    draft(title="现行", expiry_date=datetime.date(2026, 3, 3), publish=True)

    assert mine(world.li_ming) == ["现行"]


def test_a_talent_with_several_matching_tags_sees_a_policy_once(world, draft):
    draft(
        title="多区域",
        categories=[world.category_b, world.category_c],
        divisions=[world.divisions["临沂市"], world.divisions["兰山区"]],
        publish=True,
    )

    assert mine(world.li_ming) == ["多区域"]

"""The demo library loads through the actions, and a second load changes nothing."""

from huicai.notifications.models import Notification
from huicai.policies.choices import PolicyStatus
from huicai.policies.demo import POLICIES, load_demo
from huicai.policies.models import Policy, PolicyEvent, PolicyTerm
from huicai.policies.search import search_policies


def test_the_demo_library_loads_once(world):
    load_demo(at=world.at)
    counts = (Policy.objects.count(), PolicyEvent.objects.count(), Notification.objects.count())

    load_demo(at=world.at)

    assert (Policy.objects.count(), PolicyEvent.objects.count(), Notification.objects.count()) == counts
    assert Policy.objects.count() == len(POLICIES) >= 20
    assert set(Policy.objects.values_list("status", flat=True)) == set(PolicyStatus)
    assert PolicyTerm.objects.exists()
    # li_ming (兰山区, B) hears of the recent city-wide and 兰山区 policies.
    assert world.li_ming_user.notifications.count() == 3


def test_the_demo_library_answers_the_usual_questions(world):
    load_demo(at=world.at)

    def first(query):
        search = search_policies(Policy.objects.public(), query)
        return search.hits(search.rows[:1])[0].policy.title

    assert first("住房补贴") == "临沂市高层次人才住房补贴实施细则"
    assert first("子女入学") == "临沂市高层次人才子女入学服务办法"
    assert first("配偶") == "临沂市高层次人才配偶随迁就业安置办法"
    assert first("绿色通道") == "临沂市高层次人才服务绿色通道实施办法"
    # In people's own words, through the demo's synonyms (issue 12).
    assert first("孩子上学") == "临沂市高层次人才子女入学服务办法"
    # The expired 河东区人才购房补贴暂行办法 matches 买房 better, but the policy in force comes first.
    assert first("买房") == "临沂市高层次人才住房补贴实施细则"
    assert first("看病") == "临沂市高层次人才医疗保健绿色通道服务规定"


def test_the_demo_keeps_its_synonyms_once(world):
    from huicai.policies.demo import SYNONYMS
    from huicai.policies.models import SearchSynonym

    load_demo(at=world.at)
    load_demo(at=world.at)

    assert SearchSynonym.objects.count() == len(SYNONYMS)


def test_catalogue_items_loaded_later_are_linked_on_the_next_run(world):
    from huicai.catalogue.demo import load_demo as load_catalogue_demo

    load_demo(at=world.at)
    load_catalogue_demo(at=world.at)

    load_demo(at=world.at)
    events = PolicyEvent.objects.count()
    load_demo(at=world.at)

    housing = Policy.objects.get(title="临沂市高层次人才住房补贴实施细则")
    assert set(housing.service_items.values_list("code", flat=True)) == {"LY-ZF-002", "LY-ZF-003"}
    assert PolicyEvent.objects.count() == events

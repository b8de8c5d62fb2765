"""The demo catalogue loads over the world, twice without duplicates, with every kind of item."""

from huicai.catalogue.choices import FilingStatus, ServiceMode
from huicai.catalogue.demo import load_demo
from huicai.catalogue.models import ServiceItem, ServiceItemEvent, ServiceItemVersion


def test_the_demo_loads_twice_without_duplicates(world):
    load_demo(at=world.at)
    counts = (
        ServiceItem.objects.count(),
        ServiceItemVersion.objects.count(),
        ServiceItemEvent.objects.count(),
    )

    load_demo(at=world.at)

    assert (
        ServiceItem.objects.count(),
        ServiceItemVersion.objects.count(),
        ServiceItemEvent.objects.count(),
    ) == counts
    assert counts[0] >= 30


def test_the_demo_has_direct_and_application_items_reform_figures_and_filings(world):
    load_demo(at=world.at)

    published = ServiceItem.objects.published()
    assert published.filter(mode=ServiceMode.DIRECT).count() >= 5
    assert published.filter(mode=ServiceMode.APPLICATION).count() >= 15
    assert ServiceItemVersion.objects.published().filter(days_cut__gt=0).count() >= 4
    assert set(ServiceItem.objects.exclude(window__parent=None).values_list("status", flat=True)) == {
        FilingStatus.ACKNOWLEDGED,
        FilingStatus.FILED,
        FilingStatus.RETURNED,
        FilingStatus.DRAFT,
    }
    airport = ServiceItem.objects.get(code="LY-JT-001")
    assert airport.is_open_to(world.li_ming, "yimeng")
    assert list(airport.undertaking_orgs.values_list("name", flat=True)) == ["临沂国际机场贵宾服务中心"]
    hospital = ServiceItem.objects.get(code="LY-YL-001")
    assert world.people_hospital in hospital.undertaking_orgs.all()


def test_the_public_catalogue_renders_the_demo(world, client):
    load_demo(at=world.at)

    page = client.get("/catalogue/").content.decode()
    detail = client.get("/catalogue/LY-CRJ-001/").content.decode()

    assert "外籍高层次人才工作类居留许可办理" in page
    assert "减时限5个工作日" in detail and "减跑动1次" in detail

"""The demo's sample files go in through the importer, once."""

from huicai.demo import load_people
from huicai.exchange import demo
from huicai.exchange.choices import BatchStatus
from huicai.exchange.models import ImportBatch
from huicai.talents.models import Talent


def test_the_sample_files_are_imported_through_the_importer_once(db, settings, tmp_path, world):
    settings.MEDIA_ROOT = tmp_path
    load_people(at=world.at)
    before = Talent.objects.count()

    first = demo.load_demo(at=world.at)
    again = demo.load_demo(at=world.at)

    assert first["employers"]["create"] == 3
    assert first["commissioners"]["create"] == 3
    assert first["talents"] == {"create": 10, "update": 0, "unchanged": 0, "error": 0}
    assert Talent.objects.count() == before + 10
    assert not Talent.objects.exclude(unit_assignments__active_to__isnull=True).exists()
    assert again == {}
    assert list(ImportBatch.objects.values_list("status", flat=True)) == [BatchStatus.DONE] * 3

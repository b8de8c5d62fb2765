"""Demo loads that must start from an empty database (the demo tests beside ``test_demo.py`` keep one loaded
demo open for their whole module): a database loaded by the earlier demo is found again by the current one,
and with DEBUG off the loader refuses unless told."""

import pytest
from django.core.management import CommandError, call_command

from huicai import demo as demo_data
from huicai.talents.models import Talent


def test_a_database_loaded_by_the_earlier_demo_is_found_again_not_doubled(db, monkeypatch):
    # The earlier demo gave older talents pre-1994 codes only; its data must not make a reload fail.
    earlier = [(before, before) for _now, before in demo_data.BIRTHPLACES_BEFORE_1994]
    monkeypatch.setattr(demo_data, "BIRTHPLACES_BEFORE_1994", earlier)
    call_command("load_demo", "--allow-demo-accounts", verbosity=0)
    loaded = Talent.objects.count()
    monkeypatch.undo()

    call_command("load_demo", "--allow-demo-accounts", verbosity=0)

    assert Talent.objects.count() == loaded
    assert not any(talent.id_number.startswith("371302") for talent in Talent.objects.all())


def test_with_debug_off_load_demo_refuses_unless_told(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--allow-demo-accounts"):
        call_command("load_demo", verbosity=0)

    assert not Talent.objects.exists()

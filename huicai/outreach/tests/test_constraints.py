"""The database guards the rules even against code that bypasses the actions (update(), bulk_create())."""

import pytest
from django.db import IntegrityError, transaction

from huicai.outreach import actions
from huicai.outreach.choices import HolderLevel
from huicai.outreach.models import CheckinRound, Difficulty
from huicai.outreach.tests.conftest import record


def test_a_window_has_at_most_one_open_round(world):
    actions.open_checkin_round(window=world.windows["兰山区"], title="一", by=world.chen_jing, at=world.at)

    with pytest.raises(IntegrityError), transaction.atomic():
        CheckinRound.objects.create(
            window=world.windows["兰山区"], title="二", opened_by=world.chen_jing, opened_at=world.at
        )


def test_a_difficulty_held_by_a_window_names_the_window(world):
    difficulty = record(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        Difficulty.objects.filter(pk=difficulty.pk).update(holder_level=HolderLevel.WINDOW)


def test_an_answered_difficulty_carries_its_response(world):
    difficulty = record(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        Difficulty.objects.filter(pk=difficulty.pk).update(status="responded")

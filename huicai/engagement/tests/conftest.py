"""Engagement fixtures: the casework world (three published city items) plus a policy in force at the
兰山区 window, a JPG to upload, and helpers that set a gathering and a rule up through the real actions."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huicai.casework.tests.conftest import case  # noqa: F401, F811 - the fixture
from huicai.engagement import actions
from huicai.policies import actions as policies
from huicai.workbench.tests.conftest import _one_request_at_a_time, chromium, sign_in  # noqa: F401 - browser

JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpg(name="合影.jpg"):
    return SimpleUploadedFile(name, JPG, content_type="image/jpeg")


def later(world, **delta):
    return world.at + datetime.timedelta(**delta)


@pytest.fixture
def eng(case):  # noqa: F811 - the imported fixture
    """``case`` plus a talent-housing subsidy policy in force, drafted and published by 兰山区's chen_jing."""
    world = case.world
    policy = policies.create_policy(
        by=world.chen_jing,
        at=world.at,
        window=world.windows["兰山区"],
        divisions=[world.windows["兰山区"].division],
        title="兰山区高层次人才安家补贴",
        issuer="兰山区人才工作领导小组",
        issue_date=datetime.date(2026, 1, 5),
        effective_date=datetime.date(2026, 1, 5),
        body="对新引进的高层次人才给予安家补贴。",
    )
    policy, _notified = policies.publish_policy(policy, by=world.chen_jing, at=world.at, notify_talents=False)
    return SimpleNamespace(world=world, case=case, policy=policy, item=case.housing)


def make_gathering(world, *, by=None, window=None, days=7):
    """A gathering a week after the world's Monday, at 兰山区 unless told otherwise."""
    return actions.create_gathering(
        window=window or world.windows["兰山区"],
        title="春季人才联谊会",
        description="交流座谈、项目对接。",
        place="兰山区人才之家",
        starts_at=later(world, days=days),
        ends_at=later(world, days=days, hours=3),
        by=by or world.chen_jing,
        at=world.at,
    )


def make_rule(eng, *, by=None, **criteria):
    world = eng.world
    return actions.save_rule(policy=eng.policy, by=by or world.chen_jing, at=world.at, **criteria)

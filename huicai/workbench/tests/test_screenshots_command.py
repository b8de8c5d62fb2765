"""``manage.py screenshots`` covers every workbench and says plainly when it cannot run."""

import pytest
from django.core.management import CommandError, call_command

from huicai.workbench import browser
from huicai.workbench.management.commands.screenshots import SHOTS


def test_every_board_and_the_talents_phone_are_photographed():
    paths = {step for _name, _user, steps, _viewport, _full in SHOTS for step in steps}
    phones = {name for name, _user, _steps, viewport, _full in SHOTS if viewport == browser.PHONE}

    for board in (
        "/workbench/talent/",
        "/workbench/unit/",
        "/workbench/window/",
        "/workbench/queue/",
        "/workbench/dashboard/",
    ):
        assert board in paths
    assert "talent-phone" in phones


def test_without_chromium_it_stops_with_a_chinese_message(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")

    with pytest.raises(CommandError, match="无法启动浏览器"):
        call_command("screenshots", output=str(tmp_path))

    assert list(tmp_path.iterdir()) == []

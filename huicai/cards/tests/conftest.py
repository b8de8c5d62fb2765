import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huicai.cards.models import CardRule
from huicai.talents.choices import CardKind


def pdf(name="材料"):
    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4\n% test\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def rules(world, settings, tmp_path):
    """The city's rules for the world's two categories, and uploads kept in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    for category in (world.category_b, world.category_c):
        CardRule.objects.create(category=category, kind=CardKind.YIMENG, tier="B卡", valid_years=3)
        CardRule.objects.create(category=category, kind=CardKind.SHANDONG, tier="C卡", valid_years=3)
    return world

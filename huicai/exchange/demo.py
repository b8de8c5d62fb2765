"""The demo's data brought in as a city would bring its own: the shipped sample files
(``data/demo-*.csv``: three employers, their unit commissioners and ten talents, written by
``scripts/make_demo_exchange.py``) go
through the importer itself (upload, dry run, confirmation, write) as the city window's manager, so the
import history shows them. A file already imported is not imported again."""

from pathlib import Path

from django.core.files import File

from huicai.accounts.models import User
from huicai.exchange import actions
from huicai.exchange.choices import BatchStatus
from huicai.exchange.files import inspect
from huicai.exchange.models import ImportBatch

DATA = Path(__file__).resolve().parent / "data"
FILES = [
    ("employers", "demo-employers.csv"),
    ("commissioners", "demo-commissioners.csv"),
    ("talents", "demo-talents.csv"),
]
IMPORTER = "city"  # the demo's city window manager (core/demo.py)


def load_demo(*, at) -> dict:
    person = User.objects.filter(username=IMPORTER).first()
    if person is None:
        return {}
    outcome = {}
    for kind, name in FILES:
        with (DATA / name).open("rb") as handle:
            uploaded = File(handle, name=name)
            digest = inspect(uploaded)["sha256"]
            if ImportBatch.objects.filter(kind=kind, sha256=digest, status=BatchStatus.DONE).exists():
                continue
            batch = actions.create_batch(kind=kind, uploaded=uploaded, by=person, at=at)
        batch = actions.plan_batch(batch.pk, at=at)
        actions.confirm_batch(batch, skip_errors=False, by=person, at=at)
        batch = actions.write_batch(batch.pk, at=at)
        outcome[kind] = batch.counts
    return outcome

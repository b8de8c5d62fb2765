"""The write's progress reaches the page while its one transaction is still open. PostgreSQL only: on
SQLite the write locks the whole database and the page shows a bar without a value."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from huicai.exchange import actions, files
from huicai.exchange.kinds import KINDS

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def read_elsewhere(batch_pk):
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT progress_done FROM exchange_importbatch WHERE id = %s", [batch_pk])
            return cursor.fetchone()[0]
    finally:
        other.close()


def test_the_writes_progress_is_visible_before_its_transaction_ends(world, talent_row, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("t.xlsx", files.write_xlsx(KINDS["talents"], [talent_row(1)]))
    batch = actions.create_batch(kind="talents", uploaded=upload, by=world.chen_jing, at=world.at)
    save = actions._progress_saver(batch.pk, every=1)

    with transaction.atomic():
        save(7)
        seen = read_elsewhere(batch.pk)

    assert seen == 7

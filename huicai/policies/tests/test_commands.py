"""The maintenance commands: the benchmark measures searches and leaves nothing behind; reindexing
rebuilds the words."""

from io import StringIO

from django.core.management import call_command

from huicai.policies.models import Policy, PolicyTerm


def test_the_benchmark_prints_the_median_and_rolls_back(world, draft):
    draft(title="人才住房保障办法", publish=True)
    before = (Policy.objects.count(), PolicyTerm.objects.count())
    out = StringIO()

    call_command("bench_policies", count=30, rounds=1, stdout=out)

    assert "30 条政策" in out.getvalue()
    assert "中位" in out.getvalue()
    assert (Policy.objects.count(), PolicyTerm.objects.count()) == before


def test_reindexing_rebuilds_the_words_of_every_policy(world, draft):
    policy = draft(title="人才住房保障办法", publish=True)
    expected = set(PolicyTerm.objects.filter(policy=policy).values_list("term", "weight"))
    PolicyTerm.objects.all().delete()
    out = StringIO()

    call_command("reindex_policies", stdout=out)

    assert set(PolicyTerm.objects.filter(policy=policy).values_list("term", "weight")) == expected
    assert out.getvalue().strip() == "已重建 1 条政策的检索词。"

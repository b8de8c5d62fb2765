"""The benchmark command measures searches and leaves nothing behind."""

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

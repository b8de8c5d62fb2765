import datetime
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.utils import timezone

from huicai.accounts.models import User
from huicai.org.models import Division, Window
from huicai.policies.choices import PolicyStatus
from huicai.policies.models import Policy, PolicyTerm
from huicai.policies.search import search_policies, term_weights
from huicai.policies.views import PAGE_SIZE
from huicai.talents.models import TalentCategory

QUERIES = [
    "住房",
    "子女",
    "住房补贴",
    "子女入学",
    "配偶随迁就业",
    "沂蒙惠才卡",
    "绿色通道 医疗保健",
    "博士后科研工作站",
    "人才公寓租金",
    "高层次人才服务",
    "出入境 居留许可",
    "创新创业项目资助",
]

TOPICS = [
    "住房补贴",
    "子女入学",
    "配偶随迁就业",
    "医疗保健",
    "人才公寓",
    "博士后",
    "出入境",
    "创新创业",
    "安家费",
]
SENTENCES = [
    "全职引进的高层次人才，在我市无自有住房的，可申请{t}，按月发放。",
    "符合条件的人才可凭沂蒙惠才卡享受{t}等绿色通道服务。",
    "{t}申请由单位专员协助准备材料，向属地高层次人才服务窗口提出。",
    "主管部门应在承诺时限内办结{t}事项，不能按时办结的应说明情况。",
    "A、B、C类人才的{t}，由市级窗口会同有关部门统筹安排。",
    "本办法所称高层次人才，是指经认定的顶尖人才、领军人才和高级专业人才。",
    "各县区可结合实际制定{t}实施细则，报市级窗口备案。",
    "对弄虚作假骗取{t}的，追回已发放资金，并取消其享受人才政策的资格。",
    "用人单位应为人才确定一名单位专员，实行一对一联系服务。",
    "本办法自发布之日起施行，由市人力资源和社会保障局负责解释。",
]


class Command(BaseCommand):
    help = (
        "测量政策检索速度：在一个最终回滚的事务里生成若干条政策（默认 10000 条）及其检索词，"
        "按一组常见检索词各检索若干轮，输出中位耗时。不会在数据库中留下任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000, help="生成的政策条数（默认 10000）")
        parser.add_argument("--rounds", type=int, default=5, help="每个检索词的检索轮数（默认 5）")
        parser.add_argument("--seed", type=int, default=2026, help="随机数种子")

    def handle(self, *args, count, rounds, seed, **options):
        if count < 1 or rounds < 1:
            raise CommandError("--count 和 --rounds 必须是正整数。")
        window = Window.objects.filter(parent__isnull=True).first()
        if window is None:
            raise CommandError("请先载入参考数据（区划与窗口），例如运行 load_demo。")
        rng = random.Random(seed)
        with transaction.atomic():
            started = time.perf_counter()
            self._generate(count, rng, window)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE policies_policyterm; ANALYZE policies_policy")
            else:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            self.stdout.write(f"生成 {count} 条政策及检索词：{time.perf_counter() - started:.1f} 秒")
            timings = {query: [] for query in QUERIES}
            for _ in range(rounds):
                for query in QUERIES:
                    begun = time.perf_counter()
                    search = search_policies(Policy.objects.public(), query)
                    page = Paginator(search.rows, PAGE_SIZE).get_page(1)
                    search.hits(page.object_list)
                    timings[query].append(time.perf_counter() - begun)
            for query, times in timings.items():
                self.stdout.write(f"  {query}：中位 {statistics.median(times) * 1000:.1f} 毫秒")
            overall = statistics.median([t for times in timings.values() for t in times])
            self.stdout.write(
                f"政策检索（{connection.vendor}，{count} 条政策，{len(QUERIES)} 个检索词 × {rounds} 轮，"
                f"含第一页结果与摘要）：中位 {overall * 1000:.1f} 毫秒"
            )
            # Nothing generated here may stay in the database.
            transaction.set_rollback(True)

    def _generate(self, count, rng, window):
        """Policies straight into the tables (the actions would take minutes for 10,000), with the same term
        rows the actions write (``term_weights``), inserted in batches."""
        by = User.objects.filter(is_superuser=True).first() or User.objects.create(username="bench-policies")
        now = timezone.now()
        categories = list(TalentCategory.objects.values_list("pk", flat=True))
        divisions = list(Division.objects.values_list("pk", flat=True))
        policies = []
        for number in range(count):
            topic, other = rng.sample(TOPICS, 2)
            sentences = [rng.choice(SENTENCES).format(t=rng.choice((topic, topic, other))) for _ in range(8)]
            day = datetime.date(2018 + number % 8, 1 + number % 12, 1 + number % 28)
            policies.append(
                Policy(
                    title=f"临沂市高层次人才{topic}办法（基准测试{number}）",
                    issuer="基准测试发文机关",
                    document_number=f"基准〔{number}〕号",
                    issue_date=day,
                    effective_date=day,
                    body="\n".join(sentences),
                    status=PolicyStatus.IN_FORCE if number % 10 else PolicyStatus.EXPIRED,
                    window=window,
                    created_by=by,
                    created_at=now,
                    updated_at=now,
                    published_by=by,
                    published_at=now,
                )
            )
        policies = Policy.objects.bulk_create(policies, batch_size=1000)
        category_links, division_links, terms = [], [], []
        table = PolicyTerm._meta.db_table
        insert = f"INSERT INTO {table} (policy_id, term, count, weight) VALUES (%s, %s, %s, %s)"
        with connection.cursor() as cursor:
            for policy in policies:
                if categories and rng.random() < 0.3:
                    category_links.append(
                        Policy.categories.through(
                            policy_id=policy.pk, talentcategory_id=rng.choice(categories)
                        )
                    )
                if divisions and rng.random() < 0.3:
                    division_links.append(
                        Policy.divisions.through(policy_id=policy.pk, division_id=rng.choice(divisions))
                    )
                terms.extend(
                    (policy.pk, term, n, weight) for term, (n, weight) in term_weights(policy).items()
                )
                if len(terms) >= 20_000:
                    cursor.executemany(insert, terms)
                    terms = []
            cursor.executemany(insert, terms)
        Policy.categories.through.objects.bulk_create(category_links, batch_size=2000)
        Policy.divisions.through.objects.bulk_create(division_links, batch_size=2000)

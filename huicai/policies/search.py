"""Chinese full-text search over policies that behaves the same on SQLite and PostgreSQL (W16).

Neither database segments Chinese out of the box, so the text is segmented here with jieba and the words
are kept in the ``PolicyTerm`` table (policy, term, count, weight), indexed on (term, policy, weight).

Segmentation. ``cut_for_search`` returns the words of the ordinary segmentation plus the dictionary words
inside them, so a two-character query such as 住房 or 子女 finds 住房补贴 and 子女入学. Text is NFKC-normalised
and lower-cased first (全角 ２０２０ and 2020 are one term); punctuation and a short list of function words
(的、和、关于…) are dropped. Index and query go through the same function, so they always agree.

Ranking. A policy's score for a query of n distinct terms is

    score = (matched / n) × Σ over matched terms t of idf(t) × weight(t)

- ``weight(t) = Σ over fields f of boost(f) × tf·(k1+1) / (tf + k1·(1 − b + b·len_f / pivot_f))``, computed
  when the policy is indexed, is the term-frequency part of BM25 per field: repetition counts, but with
  diminishing returns (a body saying 住房 twenty times is not twenty times as relevant), and a long field
  counts each occurrence a little less than a short one. BM25 divides by the corpus's average field length;
  a fixed pivot per field stands in for it so that a stored weight never goes stale as policies are added.
- ``boost`` makes the title weigh most (5), issuer and document number next (2), the body least (1). With
  these numbers a single title occurrence (≈3–4.5 for titles of ordinary length) outweighs any number of
  body occurrences (at most 2.2), which is what a reader expects: a policy *about* 住房补贴 is named so.
- ``idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5))`` over the N policies being searched (the published ones,
  after the filters; BM25's form, always positive): a word in every policy (人才) adds little, a rare one
  (配偶) decides. Counting only the policies being searched means drafts never influence public results.
- ``matched / n`` (coordination) favours policies containing more of the words asked for.

Synonyms. People type 孩子上学, policies say 子女入学: the ``SearchSynonym`` list (kept by window staff on
the synonyms page) adds the words a phrase means whenever the phrase occurs in the query, as alternatives
of the phrase (``ParsedQuery.groups``), so coordination counts "the children's schooling" once however it
was said.

In force first. Policies in force today rank above expired (or not yet effective) ones, whatever their
score: a reader wants what applies now, and an expired policy is still shown, marked, below.

Cost. A search is three reads: the synonyms, the ids of the policies being searched, and the (policy,
weight) entries of the query's words, read from the covering index alone. The score is summed in Python, where it is the same
arithmetic on both databases and no query plan can turn it into a table scan; the worst case (a query of
words found in every policy) is timed by ``manage.py bench_policies`` on 10,000 policies.

Highlighting. The matched words are found on the raw text, each piece of text is HTML-escaped, and only
then wrapped in ``<mark>``: the markup never comes from the text, so a policy (or a query) containing
``<script>`` is shown as text. Marking after escaping the whole string would also work but could match
inside an entity (a query "amp" would mark the middle of ``&amp;``).
"""

import logging
import math
import os
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from huicai.policies.choices import PolicyStatus
from huicai.policies.models import Policy, PolicyTerm, SearchSynonym

MAX_QUERY_LENGTH = 100  # characters of the query that are searched; the rest is ignored, with a notice
MAX_QUERY_TERMS = 20  # distinct words of a query that count
MAX_TERM_LENGTH = 32  # longer "words" (long numbers, URLs) are not indexed
SNIPPET_LENGTH = 120

# Fields of a policy that are searched: (boost, pivot length in words).
FIELDS = {"title": (5.0, 16), "reference": (2.0, 8), "body": (1.0, 400)}
K1 = 1.2
B = 0.75

# Words of the Huicai domain that jieba's general dictionary would split badly (惠才卡 → 惠才/卡).
DOMAIN_WORDS = [
    "惠才卡",
    "山东惠才卡",
    "沂蒙惠才卡",
    "高层次人才",
    "绿色通道",
    "才聚沂蒙",
    "服务专员",
    "单位专员",
    "部门专员",
    "承办专员",
    "窗口专员",
    "服务窗口",
    "人才公寓",
    "安家费",
    "购房补贴",
    "租房补贴",
    "生活补贴",
    "住房补贴",
    "子女入学",
    "配偶随迁",
    "随迁",
    "人才专员",
    "依申请",
    "并联办理",
    "一事一议",
    "博士后",
]

# Function words that say nothing about a policy's subject; a query of only these finds nothing.
STOP_WORDS = frozenset(
    """
    的 地 得 了 着 过 和 与 及 或 等 在 对 为 是 有 按 将 由 从 向 于 以 其 之 中 上 下 个 并 把 被 所 各 该 应 可
    也 都 就 而 及其 或者 以及 关于 对于 进行 根据 按照 有关 相关 一 二 三 这 那 此 我 你 他 她 它 们 我们 你们 他们
    吗 呢 吧 啊 呀 哦 嗯 the a an of and or to in on for is are
    """.split()
)

_WORD_CHAR = re.compile(r"\w", re.UNICODE)

logger = logging.getLogger(__name__)
_tokenizer = None
_tokenizer_lock = threading.Lock()


def build_tokenizer(cache_file: str | None = None):
    """A jieba tokenizer with the domain words, initialised quietly.

    jieba logs its start-up to stderr at DEBUG level and does not read the JIEBA_CACHE variable itself;
    its own attribute ``cache_file`` (an absolute path wins over its temp directory) is set from it, so the
    prefix dictionary is cached under var/ rather than in /tmp. A private ``Tokenizer`` rather than the
    module-wide one: words another part of the program adds to jieba cannot change how policies are indexed.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    cache_file = cache_file or os.environ.get("JIEBA_CACHE")
    if cache_file:
        cache_file = os.path.abspath(cache_file)
        os.makedirs(os.path.dirname(cache_file), exist_ok=True)
        tokenizer.cache_file = cache_file
    tokenizer.initialize()
    for word in DOMAIN_WORDS:
        tokenizer.add_word(word)
    return tokenizer


def get_tokenizer():
    """The process's tokenizer, built once per process and then reused. Building it takes seconds, so a
    worker builds it as it starts (``warm_up``, called by gunicorn.conf.py's ``post_worker_init`` and by
    runserver's AppConfig.ready), not on its first search."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                _tokenizer = build_tokenizer()
    return _tokenizer


def warm_up() -> None:
    """Load jieba's dictionary now: called when a worker starts, so no search waits for it."""
    get_tokenizer()


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def segment(text: str) -> list[str]:
    """The searchable words of ``text``, in order and with repetitions."""
    words = []
    for word in get_tokenizer().cut_for_search(normalise(text)):
        word = word.strip()
        if not word or len(word) > MAX_TERM_LENGTH or word in STOP_WORDS:
            continue
        if not _WORD_CHAR.search(word) or set(word) == {"_"}:
            continue
        words.append(word)
    return words


def term_weight(field: str, count: int, length: int) -> float:
    """The BM25 term-frequency part with a fixed pivot length, times the field's boost (see above)."""
    boost, pivot = FIELDS[field]
    norm = 1 - B + B * length / pivot
    return boost * count * (K1 + 1) / (count + K1 * norm)


def policy_fields(policy) -> dict[str, str]:
    return {
        "title": policy.title,
        "reference": f"{policy.issuer} {policy.document_number}",
        "body": policy.body,
    }


def term_weights(policy) -> dict[str, tuple[int, float]]:
    """Every searchable word of a policy with its number of occurrences and its weight, all fields summed."""
    result = {}
    for field_name, text in policy_fields(policy).items():
        words = segment(text)
        for term, count in Counter(words).items():
            previous_count, previous_weight = result.get(term, (0, 0.0))
            result[term] = (
                previous_count + count,
                previous_weight + term_weight(field_name, count, len(words)),
            )
    return result


def term_rows(policy) -> list:
    """The ``PolicyTerm`` rows of one policy (unsaved)."""
    return [
        PolicyTerm(policy=policy, term=term, count=count, weight=weight)
        for term, (count, weight) in term_weights(policy).items()
    ]


def reindex_policy(policy) -> None:
    """Replace the policy's term rows. Called by the actions that change its text, in their transaction."""
    PolicyTerm.objects.filter(policy=policy).delete()
    PolicyTerm.objects.bulk_create(term_rows(policy), batch_size=500)


# --- Queries ---


@dataclass
class ParsedQuery:
    """The query's words (``terms``, with the synonyms' words added) and how they count: ``groups`` holds
    one set of alternatives per thing asked for (a word, or a synonym's phrase with the words it means), so
    a policy saying 子女入学 matches a search for 孩子上学 as fully as one saying 孩子上学 would."""

    text: str = ""
    terms: list[str] = field(default_factory=list)
    notice: str = ""
    groups: list[frozenset] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        return not self.text

    @property
    def finds_nothing(self) -> bool:
        return bool(self.text) and not self.terms


def parse_query(raw) -> ParsedQuery:
    """Cap the query's length, segment it like the index, and say so when nothing is left to search."""
    text = " ".join(str(raw or "").split())
    notice = ""
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        notice = _("检索词过长，只按前 %(n)d 个字检索。") % {"n": MAX_QUERY_LENGTH}
    terms = list(dict.fromkeys(segment(text)))[:MAX_QUERY_TERMS] if text else []
    if text and not terms:
        notice = _(
            "检索词只有标点符号或“的”“和”“关于”等常用字，无法检索。请换用具体的词语，例如“住房补贴”“子女入学”。"
        )
        return ParsedQuery(text=text, terms=[], notice=notice)
    return expand(ParsedQuery(text=text, terms=terms, notice=notice, groups=[frozenset([t]) for t in terms]))


def expand(query: ParsedQuery) -> ParsedQuery:
    """Add the words of every synonym whose phrase occurs in the query (one read of the short synonym list).

    The words of the phrase and the words it means become one group of alternatives, replacing the
    phrase's own words' groups: 孩子上学 补贴 is two things asked for, {孩子, 上学, 子女入学, …} and {补贴}.
    """
    if not query.terms:
        return query
    text = normalise(query.text)
    groups = list(query.groups)
    terms = list(query.terms)
    applied = []
    for synonym in SearchSynonym.objects.only("phrase", "terms"):
        if normalise(synonym.phrase) not in text:
            continue
        own = set(segment(synonym.phrase))
        meant = set()
        for term in synonym.term_list():
            words = segment(term)
            # A word the index knows whole stands for itself (购房补贴, not its 补贴, which every subsidy
            # policy says); a phrase the dictionary does not know stands for its words.
            meant |= {normalise(term)} if normalise(term) in words else set(words)
        merged = frozenset(own | meant)
        groups = [group for group in groups if not group <= own]
        groups.append(merged)
        terms += [word for word in sorted(meant) if word not in terms]
        applied.append(synonym.phrase)
    if not applied:
        return query
    return ParsedQuery(
        text=query.text,
        terms=terms[: MAX_QUERY_TERMS * 2],
        notice=query.notice,
        groups=groups,
        synonyms=applied,
    )


def idf(total: int, frequency: int) -> float:
    return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))


@dataclass
class PolicyHit:
    policy: object
    score: float
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class PolicySearch:
    """A search in progress: ``rows`` is an ordered, sliceable sequence of ``{"policy_id", "score"}`` for the
    paginator; ``hits(page_rows)`` loads the policies of one page with their highlighted title and snippet."""

    query: ParsedQuery
    rows: object

    @property
    def terms(self):
        return self.query.terms

    @property
    def notice(self):
        return self.query.notice

    def hits(self, page_rows) -> list[PolicyHit]:
        page_rows = list(page_rows)
        policies = (
            Policy.objects.filter(pk__in=[row["policy_id"] for row in page_rows])
            .select_related("window")
            .prefetch_related("categories", "divisions")
            .in_bulk()
        )
        hits = []
        for row in page_rows:
            policy = policies.get(row["policy_id"])
            if policy is None:
                continue
            hits.append(
                PolicyHit(
                    policy=policy,
                    score=row["score"],
                    title_html=highlight(policy.title, self.terms),
                    snippet_html=snippet(policy.body, self.terms),
                )
            )
        return hits


def search_policies(queryset, raw_query, *, today=None) -> PolicySearch:
    """Search ``queryset`` (already scoped and filtered) for ``raw_query``; see the module docstring.

    Policies in force on ``today`` (today by default) come before the others (expired, or not yet in
    force), in both orders: without a query newest first, paginated by the database; with one by score. A
    query with no searchable word finds nothing and reads nothing.
    """
    today = today or timezone.localdate()
    query = parse_query(raw_query)
    if query.is_blank:
        rows = (
            queryset.annotate(expired=_not_in_force(today))
            .order_by("expired", "-issue_date", "-pk")
            .values(policy_id=F("pk"), score=Value(0.0))
        )
        return PolicySearch(query=query, rows=rows)
    if query.finds_nothing:
        return PolicySearch(query=query, rows=[])
    return PolicySearch(query=query, rows=rank(queryset, query.terms, groups=query.groups, today=today))


def _not_in_force(today):
    """0 for a policy in force on ``today``, 1 for any other (Policy.is_in_force_on, in SQL)."""
    in_force = Q(status=PolicyStatus.IN_FORCE, effective_date__lte=today) & (
        Q(expiry_date__isnull=True) | Q(expiry_date__gt=today)
    )
    return Case(When(in_force, then=Value(0)), default=Value(1), output_field=IntegerField())


def rank(queryset, terms, *, groups=None, today=None) -> list[dict]:
    """Every policy of ``queryset`` containing one of ``terms``, best first, as ``{"policy_id", "score"}``.

    ``groups`` are the query's alternatives (ParsedQuery): coordination counts the groups a policy matches,
    so a synonym's words stand in for the phrase rather than diluting the score. Policies not in force on
    ``today`` come after those in force, whatever their score.
    """
    groups = groups or [frozenset([term]) for term in terms]
    today = today or timezone.localdate()
    searched = dict(queryset.annotate(expired=_not_in_force(today)).values_list("pk", "expired"))
    postings = defaultdict(list)
    entries = PolicyTerm.objects.filter(term__in=terms).values_list("term", "policy_id", "weight")
    for term, policy_id, weight in entries:
        if policy_id in searched:
            postings[term].append((policy_id, weight))
    scores = defaultdict(float)
    matched = defaultdict(set)
    for term, entries_of_term in postings.items():
        term_idf = idf(len(searched), len(entries_of_term))
        for policy_id, weight in entries_of_term:
            scores[policy_id] += term_idf * weight
            matched[policy_id].update(index for index, group in enumerate(groups) if term in group)
    ranked = sorted(
        (
            (-searched[policy_id], score * len(matched[policy_id]) / len(groups), policy_id)
            for policy_id, score in scores.items()
        ),
        reverse=True,
    )
    return [{"policy_id": policy_id, "score": score} for _expired, score, policy_id in ranked]


# --- Highlighting ---


def _pattern(terms):
    if not terms:
        return None
    # Longest first, so 住房补贴 is marked as one piece rather than 住房 + 补贴.
    alternatives = sorted({t for t in terms if t}, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in alternatives), re.IGNORECASE)


def mark(text: str, terms) -> SafeString:
    """``text`` HTML-escaped, with every occurrence of ``terms`` wrapped in <mark>."""
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    pieces = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))


def highlight(text: str, terms) -> SafeString:
    return mark(text, terms)


def snippet(text: str, terms, length: int = SNIPPET_LENGTH) -> SafeString:
    """A passage of about ``length`` characters around the first matched word, escaped and marked."""
    flat = " ".join((text or "").split())
    start = 0
    pattern = _pattern(terms)
    found = pattern.search(flat) if pattern else None
    if found:
        start = max(0, found.start() - length // 4)
    passage = flat[start : start + length]
    marked = mark(passage, terms)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(flat) else ""
    return mark_safe(f"{prefix}{marked}{suffix}")

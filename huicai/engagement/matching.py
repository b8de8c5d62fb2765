"""Who an audience is, and who a rule finds (W16-1 政策找人).

An audience is always resolved inside the sender's own ``Talent.objects.visible_to``: a county window reaches
only its own talents, whatever it asks for. A rule is matched talent by talent in Python, because the age is
read from the (encrypted) ID number; the talents are read in a fixed number of queries, so a list page or the
daily run costs the same whatever the number of talents. Each match carries its reasons (the criteria that
held), which the talent and the window see.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from huicai.casework.models import ApplicationItem
from huicai.directservices.models import DirectService
from huicai.engagement.choices import EmployerKind
from huicai.engagement.models import Grant, Preference, age_on, birth_date_of, employer_kind
from huicai.talents.models import Talent, TalentCard


def resolve_audience(*, by, categories=(), card_level="", windows=(), employers=(), talents=(), day=None):
    """The talents ``by`` may reach that meet every criterion given (an empty one does not narrow).

    ``day`` is when a card level is judged (the card must be valid that day)."""
    audience = Talent.objects.visible_to(by)
    if categories:
        audience = audience.filter(category__in=list(categories))
    if card_level:
        cards = TalentCard.objects.filter(talent_id=OuterRef("pk"), level=card_level)
        cards = cards.valid_on(day) if day is not None else cards.filter(status="valid")
        audience = audience.filter(Exists(cards))
    if windows:
        condition = Q()
        for window in windows:
            condition |= Q(home_window__path__startswith=window.path)
        audience = audience.filter(condition)
    if employers:
        audience = audience.filter(employer__in=list(employers))
    if talents:
        audience = audience.filter(pk__in=[t.pk for t in talents])
    return audience.order_by("name", "id")


def talents_for_matching(queryset, day):
    """Talents with what matching reads: category, employer, home window, arrival date, and the cards valid
    on ``day`` (``valid_cards``), in four queries whatever their number."""
    return queryset.select_related("category", "employer", "home_window", "arrival").prefetch_related(
        Prefetch("cards", queryset=TalentCard.objects.valid_on(day), to_attr="valid_cards")
    )


def reasons_for(rule, talent, day) -> list[str] | None:
    """Why ``talent`` is eligible under ``rule`` on ``day`` (one reason per criterion that held, so the
    talent sees which rule matched), or None when a criterion fails. ``rule`` has its categories and
    windows prefetched; ``talent`` comes from ``talents_for_matching``."""
    reasons = []
    categories = list(rule.categories.all())
    if categories:
        if talent.category_id not in {c.pk for c in categories}:
            return None
        reasons.append(_("人才类别为“%(name)s”") % {"name": talent.category.name})
    if rule.card_level:
        if not any(card.level == rule.card_level for card in getattr(talent, "valid_cards", [])):
            return None
        reasons.append(_("持有%(level)s级有效惠才卡") % {"level": rule.card_level})
    windows = list(rule.windows.all())
    if windows:
        if not any(talent.home_window.path.startswith(w.path) for w in windows):
            return None
        reasons.append(_("属地为%(window)s") % {"window": talent.home_window.name})
    if rule.employer_kinds:
        kind = employer_kind(talent.employer.credit_code)
        if kind not in rule.employer_kinds:
            return None
        reasons.append(_("用人单位性质为%(kind)s") % {"kind": EmployerKind(kind).label})
    if rule.arrived_from_date or rule.arrived_before_date:
        arrival = getattr(talent, "arrival", None) if _has_arrival(talent) else None
        if arrival is None:
            return None
        if rule.arrived_from_date and arrival.arrival_date < rule.arrived_from_date:
            return None
        if rule.arrived_before_date and arrival.arrival_date >= rule.arrived_before_date:
            return None
        reasons.append(_("%(date)s来临工作") % {"date": arrival.arrival_date.isoformat()})
    if rule.min_age is not None or rule.max_age is not None:
        birth = birth_date_of(talent.id_type, talent.id_number)
        if birth is None:
            return None
        age = age_on(birth, day)
        if rule.min_age is not None and age < rule.min_age:
            return None
        if rule.max_age is not None and age > rule.max_age:
            return None
        reasons.append(_("年龄%(age)d周岁") % {"age": age})
    if not reasons:
        reasons.append(_("面向全部人才"))
    return reasons


def _has_arrival(talent) -> bool:
    try:
        talent.arrival  # noqa: B018 - the reverse one-to-one raises when there is none
    except Talent.arrival.RelatedObjectDoesNotExist:
        return False
    return True


@dataclass
class Match:
    rule: object
    talent: object
    reasons: list

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def used_pairs(rules, talent_ids) -> set[tuple[int, int]]:
    """(rule id, talent id) pairs already used: granted, or, for an item, applied for (an application past
    its draft and not withdrawn) or served directly on a card. Three queries whatever the numbers."""
    rules = list(rules)
    talent_ids = list(talent_ids)
    used = set(
        Grant.objects.filter(rule__in=rules, talent_id__in=talent_ids).values_list("rule_id", "talent_id")
    )
    by_item = {rule.service_item_id: rule.pk for rule in rules if rule.service_item_id}
    if by_item:
        applied = ApplicationItem.objects.filter(
            service_item_id__in=by_item, application__talent_id__in=talent_ids
        ).exclude(application__status__in=["draft", "withdrawn"])
        for item_id, talent_id in applied.values_list("service_item_id", "application__talent_id"):
            used.add((by_item[item_id], talent_id))
        served = DirectService.objects.filter(service_item_id__in=by_item, talent_id__in=talent_ids)
        for item_id, talent_id in served.values_list("service_item_id", "talent_id"):
            used.add((by_item[item_id], talent_id))
    return used


def opted_out_ids(talent_ids) -> set[int]:
    return set(
        Preference.objects.filter(talent_id__in=list(talent_ids), offers_opted_out=True).values_list(
            "talent_id", flat=True
        )
    )


def find_matches(rules, talents, day, *, include_used=False) -> list[Match]:
    """Every (rule, talent) match on ``day`` that has not been used (unless ``include_used``)."""
    rules = list(rules)
    talents = list(talents)
    used = set() if include_used else used_pairs(rules, [t.pk for t in talents])
    matches = []
    for rule in rules:
        for talent in talents:
            if (rule.pk, talent.pk) in used:
                continue
            reasons = reasons_for(rule, talent, day)
            if reasons is not None:
                matches.append(Match(rule=rule, talent=talent, reasons=reasons))
    return matches

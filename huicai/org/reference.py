"""Reference data of Linyi: divisions (GB/T 2260), the window tree (W3), the competent departments (W2).

``load_reference_data()`` is idempotent: it matches rows by their natural keys, so running it again
changes nothing. Demo data and tests both start from it.
"""

from django.db import transaction

from huicai.org.choices import DivisionLevel, OrgLevel, WindowLevel
from huicai.org.models import Department, Division, Window

CITY = ("371300", "临沂市")
COUNTIES = [
    ("371302", "兰山区"),
    ("371311", "罗庄区"),
    ("371312", "河东区"),
    ("371321", "沂南县"),
    ("371322", "郯城县"),
    ("371323", "沂水县"),
    ("371324", "兰陵县"),
    ("371325", "费县"),
    ("371326", "平邑县"),
    ("371327", "莒南县"),
    ("371328", "蒙阴县"),
    ("371329", "临沭县"),
]
# Functional zones have no GB/T 2260 code of their own; 371371–371373 are local 6-digit codes, outside
# every county code issued under 3713, so a zone can never be mistaken for a county.
ZONES = [
    ("371371", "临沂高新技术产业开发区", "高新区"),
    ("371372", "临沂经济技术开发区", "经开区"),
    ("371373", "临沂临港经济开发区", "临港区"),
]

# W2: the competent departments of green-channel items, in the order the article names them.
CITY_DEPARTMENTS = [
    ("中共临沂市委组织部", "市委组织部"),
    ("临沂市人力资源和社会保障局", "市人社局"),
    ("中共临沂市委人才发展服务中心", "市委人才发展服务中心"),
    ("中共临沂市委统战部", "市委统战部"),
    ("中共临沂市委机构编制委员会办公室", "市委编办"),
    ("临沂市发展和改革委员会", "市发改委"),
    ("临沂市教育局", "市教育局"),
    ("临沂市科学技术局", "市科技局"),
    ("临沂市公安局", "市公安局"),
    ("临沂市财政局", "市财政局"),
    ("临沂市自然资源和规划局", "市自然资源和规划局"),
    ("临沂市住房和城乡建设局", "市住房和城乡建设局"),
    ("临沂市文化和旅游局", "市文化和旅游局"),
    ("临沂市卫生健康委员会", "市卫生健康委"),
    ("临沂市人民政府外事办公室", "市政府外事办公室"),
    ("临沂市行政审批服务局", "市行政审批服务局"),
    ("临沂市市场监督管理局", "市市场监督管理局"),
    ("临沂市体育局", "市体育局"),
    ("临沂市医疗保障局", "市医疗保障局"),
    ("临沂市林业局", "市林业局"),
    ("国家税务总局临沂市税务局", "市税务局"),
    ("中华人民共和国临沂海关", "临沂海关"),
    ("中国人民银行临沂市中心支行", "人民银行临沂市中心支行"),
    ("中国银行保险监督管理委员会临沂监管分局", "临沂银保监分局"),
    ("临沂市住房公积金服务中心", "市住房公积金服务中心"),
    ("临沂国际机场有限公司", "临沂国际机场"),
]
# County-level counterparts exist for most line departments; these are the ones every county has.
COUNTY_DEPARTMENT_SUFFIXES = [
    ("人力资源和社会保障局", "人社局", "临沂市人力资源和社会保障局"),
    ("公安分局", "公安分局", "临沂市公安局"),
    ("教育和体育局", "教体局", "临沂市教育局"),
    ("卫生健康局", "卫健局", "临沂市卫生健康委员会"),
    ("住房和城乡建设局", "住建局", "临沂市住房和城乡建设局"),
    ("行政审批服务局", "审批局", "临沂市行政审批服务局"),
    ("医疗保障局", "医保局", "临沂市医疗保障局"),
]

CITY_WINDOW_NAME = "临沂市高层次人才服务窗口"


def county_window_name(county: str) -> str:
    return f"{county}高层次人才服务窗口"


@transaction.atomic
def load_reference_data() -> dict:
    """Divisions, windows and departments; returns lookup dicts for callers that build on them."""
    city, _ = Division.objects.get_or_create(
        code=CITY[0], defaults={"name": CITY[1], "level": DivisionLevel.CITY}
    )
    divisions = {CITY[1]: city}
    for code, name in COUNTIES:
        divisions[name], _ = Division.objects.get_or_create(
            code=code, defaults={"name": name, "level": DivisionLevel.COUNTY, "parent": city}
        )
    for code, name, short in ZONES:
        divisions[short], _ = Division.objects.get_or_create(
            code=code, defaults={"name": name, "level": DivisionLevel.ZONE, "parent": city}
        )

    city_window, _ = Window.objects.get_or_create(
        name=CITY_WINDOW_NAME,
        defaults={
            "level": WindowLevel.CITY,
            "division": city,
            "host": "临沂市人力资源和社会保障局",
            "address": "临沂市北城新区市政务服务中心",
            "phone": "0539-12345",
        },
    )
    windows = {CITY[1]: city_window}
    for _code, name in COUNTIES:
        windows[name], _ = Window.objects.get_or_create(
            name=county_window_name(name),
            defaults={
                "level": WindowLevel.COUNTY,
                "division": divisions[name],
                "parent": city_window,
                "host": f"{name}人力资源和社会保障局",
            },
        )
    for _code, _name, short in ZONES:
        windows[short], _ = Window.objects.get_or_create(
            name=f"{short}高层次人才服务窗口",
            defaults={
                "level": WindowLevel.PARK,
                "division": divisions[short],
                "parent": city_window,
                "host": f"{short}管委会",
            },
        )

    departments = {}
    for name, short in CITY_DEPARTMENTS:
        departments[short], _ = Department.objects.get_or_create(
            division=city, name=name, defaults={"short_name": short, "level": OrgLevel.CITY}
        )
    by_full_name = {d.name: d for d in departments.values()}
    for _code, county in COUNTIES:
        for suffix, short, city_name in COUNTY_DEPARTMENT_SUFFIXES:
            departments[f"{county}{short}"], _ = Department.objects.get_or_create(
                division=divisions[county],
                name=f"{county}{suffix}",
                defaults={
                    "short_name": f"{county}{short}",
                    "level": OrgLevel.COUNTY,
                    "city_counterpart": by_full_name[city_name],
                },
            )
    return {"divisions": divisions, "windows": windows, "departments": departments}

"""Demo policy library: about twenty Linyi talent policies, most in force, some expired, two drafts.

The titles follow the kind of documents Linyi and its counties issue (two of them, 临发〔2020〕15号 and
临组通字〔2019〕26号, are the documents the catalogue cites); the texts are written for the demo as plausible
summaries, not the official wording, and the figures in them are illustrative. Document numbers are given
only where the catalogue already cites them.

Idempotent: a policy is found by its title and issuer first; a second run changes nothing (except linking
catalogue items that did not exist on the first run). Every policy is
made with the real actions by a window commissioner of its window, so each has its events and its index.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from huicai.accounts.models import User
from huicai.catalogue.models import ServiceItem
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.org.reference import load_reference_data
from huicai.policies import actions
from huicai.policies.choices import PolicyStatus
from huicai.policies.models import Policy, SearchSynonym
from huicai.talents.models import TalentCategory

CITY_PARTY = "中共临沂市委 临沂市人民政府"
ORG_DEPT = "中共临沂市委组织部"
HRSS = "临沂市人力资源和社会保障局"
TALENT_CENTRE = "中共临沂市委人才发展服务中心"

# Each policy: window key (reference data), categories (codes; empty = all), regions (keys; empty = the
# whole city), the catalogue items it brings into the green channel (W7; codes of the catalogue demo,
# linked when that demo is loaded), what happens to it ("draft", "in_force", "expired") and whether
# publishing notifies.
POLICIES = [
    {
        "title": "关于实施“才聚沂蒙”行动打造新时代区域人才高地的若干措施",
        "items": ["LY-ZF-002", "LY-ZN-001", "LY-PO-001", "LY-YL-001"],
        "issuer": CITY_PARTY,
        "document_number": "临发〔2020〕15号",
        "issue_date": datetime.date(2020, 5, 20),
        "window": "临沂市",
        "fate": "in_force",
        "body": """为深入实施人才强市战略，加快集聚各类高层次人才，打造新时代区域人才高地，结合我市实际，制定以下措施。

一、大力引进顶尖人才和领军人才。对全职引进的顶尖人才，实行“一事一议”，给予综合支持；对全职引进的国家级、省级领军人才，分档给予安家费和科研经费支持。

二、完善人才住房保障。高层次人才可选择入住人才公寓，或申请住房补贴、购房补贴；在临沂首次购买自住商品住房的，按人才类别给予一次性补贴。

三、解决人才后顾之忧。高层次人才子女入学，可在全市范围内选择公办学校就读；配偶随迁就业的，按照对口原则妥善安置；持沂蒙惠才卡的人才享受医疗保健、交通出行、文化旅游等绿色通道服务。

四、优化人才服务。建立市、县两级高层次人才服务窗口和服务专员制度，推行“一站式受理、一揽子解决”，为人才提供全周期服务。""",
    },
    {
        "title": "临沂市高层次人才服务绿色通道实施办法",
        "items": ["LY-CRJ-002", "LY-HJ-001", "LY-QT-001"],
        "issuer": ORG_DEPT,
        "document_number": "临组通字〔2019〕26号",
        "issue_date": datetime.date(2019, 9, 10),
        "window": "临沂市",
        "fate": "in_force",
        "body": """为进一步优化人才发展环境，为高层次人才提供便捷高效的服务，建立高层次人才服务绿色通道，制定本办法。

绿色通道服务对象为经认定的A、B、C、D、E类高层次人才，服务内容包括出入境和停居留、户籍迁移、子女入学、配偶就业、医疗保健、住房保障、税收服务、交通出行等事项。

各服务事项主管部门应明确服务专员，公开服务事项、办理条件和承诺时限。对可直接服务的事项，人才凭山东惠才卡或沂蒙惠才卡即可享受；对依申请办理的事项，实行专员接件、并联办理。

新增人才服务事项的，由主管部门报市级窗口备案后纳入绿色通道服务目录。""",
    },
    {
        "title": "临沂市高层次人才服务窗口运行办法",
        "issuer": f"{ORG_DEPT} {TALENT_CENTRE} {HRSS}",
        "issue_date": datetime.date(2021, 6, 18),
        "window": "临沂市",
        "fate": "in_force",
        "body": """本办法规范全市高层次人才服务窗口的设置、职责和运行。市级窗口设在市人力资源和社会保障局，各县区设立县级窗口，有条件的人才集团和园区可设立窗口。

窗口负责受理多事项申办，按管理权限分解转办，跟踪督办办理进度，建立人才服务工作档案并按季度向上级窗口备案。

窗口实行评估评价制度，评价结果分为优秀、良好、达标、不达标四个等次；评为不达标的，约谈窗口负责人。""",
    },
    {
        "title": "临沂市高层次人才服务专员管理办法",
        "issuer": f"{ORG_DEPT} {TALENT_CENTRE} {HRSS}",
        "issue_date": datetime.date(2021, 6, 18),
        "window": "临沂市",
        "fate": "in_force",
        "body": """服务专员分为单位专员、部门专员、承办专员和窗口专员。用人单位为每名高层次人才确定一名单位专员，实行一对一联系服务。

部门专员负责本部门服务事项的办理，在承诺时限内办结；不能按时办结的，应向人才说明情况，报窗口专员备案并确定新的办结时间。

窗口专员负责多事项申办的受理和分解转办，定期了解人才在职在临情况，及时发布人才政策，组织专员培训和交流活动。""",
    },
    {
        "title": "临沂市高层次人才住房补贴实施细则",
        "items": ["LY-ZF-002", "LY-ZF-003"],
        "issuer": f"{HRSS} 临沂市住房和城乡建设局",
        "issue_date": datetime.date(2021, 3, 1),
        "window": "临沂市",
        "categories": ["A", "B", "C", "D"],
        "fate": "in_force",
        "body": """全职引进或自主培养的A至D类高层次人才，在我市无自有住房的，可申请住房补贴，按月发放，最长发放五年。

在临沂市首次购买自住商品住房的，可申请一次性购房补贴，补贴标准按人才类别确定。已享受人才公寓实物保障的，不再重复享受住房补贴。

申请住房补贴，由单位专员协助人才准备材料，向属地高层次人才服务窗口提出；窗口会同住房和城乡建设部门审核后发放。""",
    },
    {
        "title": "临沂市高层次人才子女入学服务办法",
        "items": ["LY-ZN-001", "LY-ZN-002"],
        "issuer": "临沂市教育局",
        "issue_date": datetime.date(2021, 7, 15),
        "window": "临沂市",
        "fate": "in_force",
        "notify": True,
        "body": """高层次人才子女接受学前教育和义务教育的，可在全市范围内选择一所公办幼儿园或学校就读，由教育部门统筹安排。

高层次人才子女参加中考的，按照有关规定给予照顾；从外地转学来临的，学籍转接开通绿色通道，随到随办。

人才子女入学申请，由单位专员或窗口专员向教育部门服务专员提交，教育部门在十个工作日内答复。""",
    },
    {
        "title": "临沂市高层次人才配偶随迁就业安置办法",
        "items": ["LY-PO-001"],
        "issuer": HRSS,
        "issue_date": datetime.date(2021, 8, 2),
        "window": "临沂市",
        "categories": ["A", "B", "C"],
        "fate": "in_force",
        "body": """A、B、C类高层次人才的配偶随迁来临，原为机关事业单位在编人员的，按照对口原则，由组织人事部门协调安置到相应单位。

配偶原在企业工作或未就业的，由人力资源和社会保障部门提供岗位推荐和职业指导；用人单位可优先安排配偶就业。

配偶随迁就业安置期间，可由用人单位发放生活补贴，最长不超过一年。""",
    },
    {
        "title": "临沂市高层次人才医疗保健绿色通道服务规定",
        "items": ["LY-YL-001", "LY-YL-002", "LY-YL-003"],
        "issuer": "临沂市卫生健康委员会",
        "issue_date": datetime.date(2021, 9, 1),
        "window": "临沂市",
        "categories": ["A", "B", "C"],
        "fate": "in_force",
        "body": """市人民医院、市中心医院等医疗机构设立高层次人才就诊绿色通道，持沂蒙惠才卡或山东惠才卡的人才享受预约挂号、优先就诊、优先检查等医疗保健服务。

每年为A、B、C类高层次人才安排一次健康体检，建立个人健康档案，提供家庭医生签约服务。

人才在就医过程中遇到困难的，可联系医院承办专员或拨打12345政务服务热线。""",
    },
    {
        "title": "沂蒙惠才卡管理办法",
        "issuer": TALENT_CENTRE,
        "issue_date": datetime.date(2022, 1, 10),
        "window": "临沂市",
        "fate": "in_force",
        "body": """沂蒙惠才卡是我市高层次人才享受服务的身份凭证，由用人单位单位专员代为申领，市委人才发展服务中心审核发放，有效期三年。

持卡人凭卡享受绿色通道可直接服务事项，包括医疗保健、交通出行、文化旅游、体育健身等。卡片遗失的，应及时挂失并申请补办。

持卡人不再符合高层次人才条件或离开临沂工作的，沂蒙惠才卡予以注销。""",
    },
    {
        "title": "沂蒙惠才卡持卡人服务事项清单（2022年版）",
        "issuer": TALENT_CENTRE,
        "issue_date": datetime.date(2022, 1, 10),
        "expiry_date": datetime.date(2024, 1, 1),
        "window": "临沂市",
        "fate": "expired",
        "body": """持卡人可凭沂蒙惠才卡享受以下服务：临沂国际机场贵宾通道；市属公立医院预约挂号和优先就诊；市内A级旅游景区免费游览；市体育场馆免费健身。

本清单自2024年版清单施行之日起废止。""",
    },
    {
        "title": "沂蒙惠才卡持卡人服务事项清单（2024年版）",
        "items": ["LY-JT-001", "LY-JT-002", "LY-LY-001", "LY-LY-002"],
        "issuer": TALENT_CENTRE,
        "issue_date": datetime.date(2023, 12, 20),
        "effective_date": datetime.date(2024, 1, 1),
        "window": "临沂市",
        "fate": "in_force",
        "body": """持卡人可凭沂蒙惠才卡享受以下服务：临沂国际机场贵宾通道和优先值机；市属公立医院预约挂号、优先就诊和年度健康体检；市内A级旅游景区免费游览；市体育场馆免费健身；图书馆免押金借阅。

持卡人配偶和未成年子女同行的，可同等享受景区游览服务。新增服务事项由主管部门报市级窗口备案后纳入本清单。""",
    },
    {
        "title": "临沂市人才公寓建设和管理办法",
        "items": ["LY-ZF-001"],
        "issuer": "临沂市住房和城乡建设局",
        "issue_date": datetime.date(2022, 4, 8),
        "window": "临沂市",
        "fate": "in_force",
        "body": """人才公寓面向在我市工作的高层次人才和急需紧缺人才，实行租赁管理，拎包入住。

A、B类人才可免租金入住人才公寓；C、D、E类人才按市场租金的一定比例缴纳租金。入住期限一般不超过五年。

人才公寓不得转租、转借；人才离开临沂工作的，应在三个月内腾退。""",
    },
    {
        "title": "临沂市博士后科研工作站资助办法",
        "issuer": HRSS,
        "issue_date": datetime.date(2022, 6, 1),
        "window": "临沂市",
        "categories": ["D", "E"],
        "fate": "in_force",
        "body": """新设立的国家级博士后科研工作站、省级博士后创新实践基地，分别给予一次性建站资助。

进站博士后研究人员，在站期间给予生活补贴；出站后留临工作的，按高层次人才给予安家费和住房补贴。

申请资助，由设站单位向市人力资源和社会保障局提出，经审核后拨付。""",
    },
    {
        "title": "临沂市外籍高层次人才出入境和停居留便利措施",
        "items": ["LY-CRJ-001", "LY-CRJ-003"],
        "issuer": "临沂市公安局",
        "issue_date": datetime.date(2023, 3, 15),
        "window": "临沂市",
        "fate": "in_force",
        "body": """外籍高层次人才及其配偶、未成年子女，可申请有效期五年的工作类居留许可；符合条件的，可申请在华永久居留。

外籍高层次人才办理出入境证件，实行专人受理、优先审批，在承诺时限内办结。

因紧急事由来临的外籍高层次人才，可按规定申请口岸签证。""",
    },
    {
        "title": "临沂市人才创新创业项目扶持办法",
        "items": ["LY-SC-001", "LY-SC-002"],
        "issuer": "临沂市科学技术局",
        "issue_date": datetime.date(2023, 5, 10),
        "window": "临沂市",
        "fate": "in_force",
        "body": """对高层次人才领办创办的科技型企业，经评审认定为人才创新创业项目的，分档给予项目资助。

项目实施期间，优先推荐申报各级科技计划，优先提供孵化载体和融资服务。

项目资助资金实行专款专用，市科技局会同有关部门进行绩效评价。""",
    },
    {
        "title": "关于做好2026年度高层次人才健康体检工作的通知",
        "items": ["LY-YL-002"],
        "issuer": "临沂市卫生健康委员会",
        "issue_date": datetime.date(2026, 2, 20),
        "window": "临沂市",
        "fate": "in_force",
        "notify": True,
        "body": """根据《临沂市高层次人才医疗保健绿色通道服务规定》，现就2026年度高层次人才健康体检工作通知如下。

体检对象为我市A、B、C、D类高层次人才；体检由市人民医院、市中心医院承担，人才可凭沂蒙惠才卡预约。

请各用人单位单位专员于规定时间内汇总本单位人才体检意向，报属地服务窗口。""",
    },
    {
        "title": "临沂市高层次人才个人所得税服务指引",
        "items": ["LY-QT-002"],
        "issuer": "国家税务总局临沂市税务局",
        "issue_date": datetime.date(2026, 3, 1),
        "window": "临沂市",
        "fate": "draft",
        "body": """本指引说明高层次人才取得的政府奖励、安家费和住房补贴等收入的个人所得税政策适用和申报方式。

税务部门设立人才服务专窗，为人才提供个税汇算清缴辅导。""",
    },
    {
        "title": "兰山区高层次人才安家补贴发放办法",
        "items": ["LS-ZF-001"],
        "issuer": "兰山区人力资源和社会保障局",
        "issue_date": datetime.date(2022, 3, 18),
        "window": "兰山区",
        "regions": ["兰山区"],
        "fate": "in_force",
        "notify": True,
        "body": """在兰山区企事业单位全职工作的高层次人才，首次来兰山区工作的，给予一次性安家补贴，分三年发放。

已享受市级安家费的，区级安家补贴按差额补足。申请人应与用人单位签订五年以上劳动合同。

安家补贴由单位专员协助申请，报兰山区高层次人才服务窗口审核。""",
    },
    {
        "title": "兰山区人才子女入学绿色通道工作细则",
        "issuer": "兰山区教育和体育局",
        "issue_date": datetime.date(2022, 8, 1),
        "window": "兰山区",
        "regions": ["兰山区"],
        "fate": "in_force",
        "body": """兰山区高层次人才子女申请就读区属公办学校的，由区教育和体育局在每年秋季招生前集中受理、统一安排。

学期中转学来兰山区的人才子女，随到随办，五个工作日内安排就读学校。""",
    },
    {
        "title": "罗庄区高层次人才生活补贴实施办法",
        "issuer": "罗庄区人力资源和社会保障局",
        "issue_date": datetime.date(2023, 1, 6),
        "window": "罗庄区",
        "regions": ["罗庄区"],
        "fate": "in_force",
        "body": """在罗庄区重点产业企业全职工作的高层次人才，按月发放生活补贴，期限三年。

新材料、智能装备等重点产业企业引进的博士，生活补贴标准上浮。补贴资金由区财政列支。""",
    },
    {
        "title": "河东区人才购房补贴暂行办法",
        "issuer": "河东区住房和城乡建设局",
        "issue_date": datetime.date(2020, 4, 1),
        "expiry_date": datetime.date(2023, 4, 1),
        "window": "河东区",
        "regions": ["河东区"],
        "fate": "expired",
        "body": """在河东区首次购买自住商品住房的高层次人才，给予一次性购房补贴。

本办法有效期三年，期满后按市级住房补贴政策执行。""",
    },
    {
        "title": "临沂高新区高端人才引进奖励办法",
        "items": ["GX-SC-001"],
        "issuer": "临沂高新技术产业开发区管理委员会",
        "issue_date": datetime.date(2024, 5, 20),
        "window": "高新区",
        "regions": ["高新区"],
        "categories": ["A", "B", "C"],
        "fate": "in_force",
        "body": """园区企业全职引进A、B、C类高层次人才的，给予用人单位引才奖励；人才本人可申请园区人才公寓。

园区设立高层次人才服务窗口，为人才提供企业注册、项目申报、子女入学等一站式服务。""",
    },
    {
        "title": "沂水县乡村振兴人才服务措施（征求意见稿）",
        "issuer": "沂水县人力资源和社会保障局",
        "issue_date": datetime.date(2026, 2, 25),
        "window": "沂水县",
        "regions": ["沂水县"],
        "fate": "draft",
        "body": """鼓励高层次人才到乡镇和农业园区服务，给予交通补贴和工作经费支持。

服务期满考核合格的，优先推荐申报市级人才工程。""",
    },
]


def _actor(window):
    """A window commissioner of ``window`` from the demo cast (the administrator if it has none)."""
    post = (
        Post.objects.filter(kind=PostKind.WINDOW, window=window, active_to__isnull=True)
        .order_by("pk")
        .first()
    )
    if post is not None:
        return post.user
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        raise RuntimeError("演示政策需要先载入窗口专员或系统管理员。")
    return admin


def _moment(day, at):
    """10:00 on ``day`` in Linyi, never later than ``at``."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    return min(moment, at)


# What people type → the words of the policies (issue 12); window staff add more on the synonyms page.
SYNONYMS = [
    ("孩子上学", "子女入学 入学"),
    ("小孩上学", "子女入学 入学"),
    ("上学", "入学"),
    ("买房", "购房 购房补贴"),
    ("租房", "租房补贴 人才公寓"),
    ("看病", "就医 医疗 医疗保健"),
    ("体检", "健康体检 医疗保健"),
    ("老婆工作", "配偶 随迁 配偶就业"),
    ("爱人工作", "配偶 随迁 配偶就业"),
    ("落户", "户籍 户籍迁移"),
    ("补助", "补贴"),
    ("奖金", "奖励"),
]


def load_synonyms(*, at) -> None:
    """The demo's search synonyms, through the action (idempotent: a phrase already kept is left alone)."""
    by = _actor(load_reference_data()["windows"]["临沂市"])
    for phrase, terms in SYNONYMS:
        if not SearchSynonym.objects.filter(phrase=phrase).exists():
            actions.save_synonym(phrase=phrase, terms=terms, by=by, at=at)


@transaction.atomic
def load_demo(*, at) -> None:
    load_synonyms(at=at)
    ref = load_reference_data()
    windows, divisions = ref["windows"], ref["divisions"]
    categories = {c.code: c for c in TalentCategory.objects.all()}
    codes = {code for entry in POLICIES for code in entry.get("items", [])}
    items = {item.code: item for item in ServiceItem.objects.filter(code__in=codes)}
    for entry in POLICIES:
        window = windows[entry["window"]]
        wanted = [items[code] for code in entry.get("items", []) if code in items]
        existing = Policy.objects.filter(title=entry["title"], issuer=entry["issuer"]).first()
        if existing is not None:
            _link_items(existing, wanted, window=window, at=at)
            continue
        by = _actor(window)
        issued = entry["issue_date"]
        written_at = _moment(issued, at)
        policy = actions.create_policy(
            by=by,
            at=written_at,
            window=window,
            title=entry["title"],
            issuer=entry["issuer"],
            document_number=entry.get("document_number", ""),
            issue_date=issued,
            effective_date=entry.get("effective_date", issued),
            expiry_date=entry.get("expiry_date"),
            body=entry["body"],
            categories=[categories[code] for code in entry.get("categories", []) if code in categories],
            divisions=[divisions[key] for key in entry.get("regions", [])],
            service_items=wanted,
        )
        if entry["fate"] == "draft":
            continue
        # Notices go out only for the recent policies the demo talents should find in their inbox.
        notify = entry.get("notify", False)
        published_at = at if notify else written_at
        policy, _ = actions.publish_policy(policy, by=by, at=published_at, notify_talents=notify)
        if entry["fate"] == "expired":
            expiry = entry.get("expiry_date") or issued
            actions.expire_policy(
                policy, by=by, at=_moment(expiry, at), note="演示数据：已被新政策替代或到期"
            )


def _link_items(policy, wanted, *, window, at):
    """Items of a catalogue demo loaded after the policies are linked on the next run, through the action."""
    current = set(policy.service_items.all())
    if policy.status == PolicyStatus.EXPIRED or set(wanted) <= current:
        return
    actions.edit_policy(policy, by=_actor(window), at=at, service_items=current | set(wanted))

"""Demo catalogue: about thirty green-channel items of the W2 departments, direct and by application,
some optimised once (so the reform figures show), and a few county items in the filing workflow.

Idempotent: an item is found by its code first; a second run changes nothing. Every item is made with
the real actions, so each has its versions and filing events.
"""

import datetime

from django.db import transaction

from huicai.accounts.models import User
from huicai.catalogue import actions
from huicai.catalogue.choices import Category, FilingStatus, ServiceMode
from huicai.catalogue.models import ServiceItem
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.org.models import UndertakingOrg
from huicai.org.reference import load_reference_data
from huicai.talents.models import TalentCategory

CITY_HALL = "临沂市政务服务中心（北城新区）一楼高层次人才服务专区；工作日 9:00—12:00，13:30—17:00"
GREEN_CHANNEL = "《临沂市高层次人才服务绿色通道实施办法》（临组通字〔2019〕26号）"
TALENT_MEASURES = "《关于实施“才聚沂蒙”行动打造新时代区域人才高地的若干措施》（临发〔2020〕15号）"
COMPLAINT = "12345"

# (name, department key) — created if missing, under the city division.
UNDERTAKING_ORGS = [
    ("临沂市人民医院", "市卫生健康委"),
    ("临沂市中心医院", "市卫生健康委"),
    ("临沂市公安局出入境管理支队", "市公安局"),
    ("临沂第一中学", "市教育局"),
    ("临沂国际机场贵宾服务中心", "临沂国际机场"),
    ("沂蒙山旅游区蒙山景区", "市文化和旅游局"),
    ("临沂市奥林匹克体育中心", "市体育局"),
]


def m(name, required=True, copies=1, notes=""):
    return {"name": name, "required": required, "copies": copies, "notes": notes}


ID_CARD = m("居民身份证", notes="原件核验，不留存复印件")
CARD = m("山东惠才卡或沂蒙惠才卡", notes="原件核验")
EMPLOYER_LETTER = m("用人单位推荐函", notes="加盖单位公章")

# City items. "revision" (optional) is applied after the first publication and published in turn.
CITY_ITEMS = [
    {
        "code": "LY-CRJ-001",
        "name": "外籍高层次人才工作类居留许可办理",
        "category": Category.EXIT_ENTRY,
        "mode": ServiceMode.APPLICATION,
        "department": "市公安局",
        "orgs": ["临沂市公安局出入境管理支队"],
        "legal_days": 15,
        "committed_days": 10,
        "visit_count": 2,
        "content": "为在临工作的外籍高层次人才及其随行家属办理工作类居留许可，专人受理、优先审批。",
        "conditions": "持有效外国人工作许可证，受聘于临沂市用人单位的外籍高层次人才及其配偶、未成年子女。",
        "materials": [
            m("护照及有效签证", notes="原件及复印件"),
            m("外国人签证证件申请表", notes="网上填写后打印"),
            m("外国人工作许可证"),
            m("近期免冠照片", copies=2, notes="2寸白底"),
            EMPLOYER_LETTER,
        ],
        "steps": ["单位专员预约", "窗口受理", "初审", "审批", "制证发证"],
        "location_and_hours": "临沂市公安局出入境管理支队（临沂市兰山区北京路）；工作日 9:00—17:00",
        "legal_basis": "《中华人民共和国出境入境管理法》第三十条；《中华人民共和国外国人入境出境管理条例》第十五条",
        "consult_phone": "0539-8317110",
        "revision": {
            "reason": "推行“容缺受理”和证照合一，免交单位推荐函，一次到场",
            "committed_days": 5,
            "visit_count": 1,
            "materials": [
                m("护照及有效签证", notes="原件及复印件"),
                m("外国人签证证件申请表", notes="网上填写后打印"),
                m("外国人工作许可证"),
                m("近期免冠照片", copies=2, notes="2寸白底"),
                m("用人单位推荐函", required=False, notes="容缺受理，可后补"),
            ],
            "steps": ["单位专员预约", "窗口受理并初审", "审批", "制证发证"],
        },
    },
    {
        "code": "LY-CRJ-002",
        "name": "高层次人才出入境证件优先办理",
        "category": Category.EXIT_ENTRY,
        "mode": ServiceMode.APPLICATION,
        "department": "市公安局",
        "orgs": ["临沂市公安局出入境管理支队"],
        "legal_days": 15,
        "committed_days": 5,
        "visit_count": 1,
        "content": "为高层次人才及其配偶、子女优先办理普通护照、往来港澳台通行证及签注。",
        "conditions": "持有效人才卡的高层次人才及其配偶、未成年子女。",
        "materials": [ID_CARD, CARD, m("出入境证件申请表", notes="现场填写")],
        "steps": ["预约", "受理采集", "审批", "制证邮寄"],
        "location_and_hours": "临沂市公安局出入境管理支队及各县区出入境接待大厅；工作日 9:00—17:00",
        "legal_basis": "《中华人民共和国护照法》第六条；《中华人民共和国出境入境管理法》",
        "consult_phone": "0539-8317110",
    },
    {
        "code": "LY-CRJ-003",
        "name": "外籍高层次人才在华永久居留推荐",
        "category": Category.EXIT_ENTRY,
        "mode": ServiceMode.APPLICATION,
        "department": "市公安局",
        "orgs": ["临沂市公安局出入境管理支队"],
        "legal_days": 30,
        "committed_days": 20,
        "visit_count": 1,
        "content": "对符合条件的外籍高层次人才出具永久居留推荐意见，并协助申办。",
        "conditions": "经认定的外籍高层次人才，在临连续工作满规定年限。",
        "materials": [
            m("护照及有效居留许可"),
            m("外国人永久居留申请表"),
            m("高层次人才认定证明"),
            m("无犯罪记录证明", notes="经认证"),
            m("体检证明"),
            EMPLOYER_LETTER,
        ],
        "steps": ["受理", "审核推荐", "报省厅审批", "发证"],
        "location_and_hours": "临沂市公安局出入境管理支队；工作日 9:00—17:00",
        "legal_basis": "《外国人在中国永久居留审批管理办法》",
        "consult_phone": "0539-8317110",
    },
    {
        "code": "LY-CRJ-004",
        "name": "外国高端人才来华工作许可",
        "category": Category.EXIT_ENTRY,
        "mode": ServiceMode.APPLICATION,
        "department": "市科技局",
        "orgs": [],
        "legal_days": 10,
        "committed_days": 5,
        "visit_count": 0,
        "content": "外国高端人才（A类）来华工作许可实行“容缺受理”和全程网办。",
        "conditions": "符合外国高端人才（A类）标准的外籍人员，受聘于临沂市用人单位。",
        "materials": [
            m("工作资历证明"),
            m("最高学位（学历）证书"),
            m("无犯罪记录证明"),
            m("体检证明", required=False, notes="容缺受理"),
            m("聘用合同"),
            m("护照信息页"),
        ],
        "steps": ["网上申请", "网上审查", "决定并发证"],
        "location_and_hours": "外国人来华工作管理服务系统网上办理",
        "legal_basis": "《外国人在中国就业管理规定》；《外国人来华工作许可服务指南（暂行）》",
        "consult_phone": "0539-8721345",
    },
    {
        "code": "LY-HJ-001",
        "name": "高层次人才及其配偶子女落户",
        "category": Category.HOUSEHOLD,
        "mode": ServiceMode.APPLICATION,
        "department": "市公安局",
        "orgs": [],
        "legal_days": 20,
        "committed_days": 5,
        "visit_count": 2,
        "content": "高层次人才本人及其配偶、未成年子女可在工作地、居住地或单位集体户落户，不受房产、社保年限限制。",
        "conditions": "经认定的高层次人才；配偶、未成年子女随迁。",
        "materials": [
            ID_CARD,
            m("户口簿或户籍证明"),
            m("结婚证", required=False, notes="配偶随迁时提交"),
            m("出生医学证明", required=False, notes="子女随迁时提交"),
            m("高层次人才认定证明"),
            m("落户地址证明", notes="房产证、租赁合同或单位集体户证明"),
        ],
        "steps": ["单位专员提交申请", "派出所受理", "审核", "审批", "办理落户"],
        "location_and_hours": "落户地派出所户籍窗口；工作日 9:00—17:00",
        "legal_basis": f"{GREEN_CHANNEL}；{TALENT_MEASURES}",
        "consult_phone": "0539-8317120",
        "revision": {
            "reason": "取消高层次人才认定证明（部门间共享核验），审核审批合并，一次办结",
            "committed_days": 3,
            "visit_count": 1,
            "materials": [
                ID_CARD,
                m("户口簿或户籍证明"),
                m("结婚证", required=False, notes="配偶随迁时提交"),
                m("出生医学证明", required=False, notes="子女随迁时提交"),
                m("落户地址证明", notes="房产证、租赁合同或单位集体户证明"),
            ],
            "steps": ["单位专员提交申请", "派出所受理", "审核审批", "办理落户"],
        },
    },
    {
        "code": "LY-PO-001",
        "name": "高层次人才配偶工作安置协调",
        "category": Category.SPOUSE,
        "mode": ServiceMode.APPLICATION,
        "department": "市人社局",
        "orgs": [],
        "legal_days": 60,
        "committed_days": 30,
        "visit_count": 1,
        "content": "配偶原为机关事业单位在编人员的，按对口原则协调安置；其他的由用人单位或人社部门推荐就业。",
        "conditions": "随高层次人才来临工作、生活的配偶。",
        "materials": [ID_CARD, m("结婚证"), m("配偶原工作单位证明"), m("配偶学历学位证书"), EMPLOYER_LETTER],
        "steps": ["提出申请", "窗口受理", "部门协调", "提出安置意见", "办理调动或推荐就业"],
        "location_and_hours": CITY_HALL,
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8721345",
    },
    {
        "code": "LY-ZN-001",
        "name": "高层次人才子女义务教育阶段入学",
        "category": Category.CHILDREN,
        "mode": ServiceMode.APPLICATION,
        "department": "市教育局",
        "orgs": [],
        "legal_days": 20,
        "committed_days": 10,
        "visit_count": 1,
        "content": "高层次人才子女接受义务教育，可在居住地或工作地按意愿协调安排公办学校就读。",
        "conditions": "经认定的高层次人才的适龄子女。",
        "materials": [
            ID_CARD,
            m("户口簿或居住证"),
            m("子女出生医学证明"),
            m("学籍信息表", required=False, notes="转学时提交"),
        ],
        "steps": ["单位专员提交申请", "教育部门受理", "协调学位", "通知入学"],
        "location_and_hours": "临沂市教育局招生考试服务窗口；工作日 9:00—17:00",
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8225123",
    },
    {
        "code": "LY-ZN-002",
        "name": "高层次人才子女普通高中入学（转学）",
        "category": Category.CHILDREN,
        "mode": ServiceMode.APPLICATION,
        "department": "市教育局",
        "orgs": ["临沂第一中学"],
        "legal_days": 20,
        "committed_days": 10,
        "visit_count": 1,
        "content": "高层次人才子女报考或转入市直普通高中的，按规定给予照顾。",
        "conditions": "经认定的高层次人才的子女，符合普通高中招生或转学条件。",
        "materials": [ID_CARD, m("学籍证明"), m("中考成绩证明", required=False, notes="报考时提交")],
        "steps": ["提出申请", "受理审核", "安排学校", "办理入学"],
        "location_and_hours": "临沂市教育局招生考试服务窗口；工作日 9:00—17:00",
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8225123",
    },
    {
        "code": "LY-ZF-001",
        "name": "人才公寓租住申请",
        "category": Category.HOUSING,
        "mode": ServiceMode.APPLICATION,
        "department": "市住房和城乡建设局",
        "orgs": [],
        "legal_days": 20,
        "committed_days": 10,
        "visit_count": 2,
        "content": "为来临工作、本人及配偶在临无自有住房的高层次人才提供拎包入住的人才公寓，租金按规定减免。",
        "conditions": "在临全职工作的高层次人才，本人及配偶在临沂市区无自有住房。",
        "materials": [ID_CARD, m("劳动合同或聘用证明"), m("无房证明"), m("婚姻状况证明"), EMPLOYER_LETTER],
        "steps": ["网上申请", "单位审核", "住建部门审核", "公示", "配租签约"],
        "location_and_hours": "临沂市住房保障服务中心；工作日 9:00—17:00",
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8201567",
        "revision": {
            "reason": "无房证明、婚姻状况改为部门数据共享核验，单位审核与部门审核并联",
            "committed_days": 7,
            "visit_count": 1,
            "materials": [ID_CARD, m("劳动合同或聘用证明"), EMPLOYER_LETTER],
            "steps": ["网上申请", "并联审核", "公示", "配租签约"],
        },
    },
    {
        "code": "LY-ZF-002",
        "name": "高层次人才购房补贴申领",
        "category": Category.HOUSING,
        "mode": ServiceMode.APPLICATION,
        "department": "市住房和城乡建设局",
        "orgs": [],
        "legal_days": 30,
        "committed_days": 15,
        "visit_count": 1,
        "content": "在临首次购买自住商品住房的高层次人才，按类别给予一次性购房补贴。",
        "conditions": "在临全职工作的高层次人才，首次在临购买自住商品住房。",
        "materials": [
            ID_CARD,
            m("购房合同及发票"),
            m("不动产权证书", required=False, notes="已办理的提交"),
            m("本人银行账户信息"),
        ],
        "steps": ["提出申请", "受理审核", "公示", "拨付补贴"],
        "location_and_hours": CITY_HALL,
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8201567",
    },
    {
        "code": "LY-ZF-003",
        "name": "住房公积金贷款优先审批",
        "category": Category.HOUSING,
        "mode": ServiceMode.APPLICATION,
        "department": "市住房公积金服务中心",
        "orgs": [],
        "legal_days": 15,
        "committed_days": 5,
        "visit_count": 1,
        "content": "高层次人才申请住房公积金贷款的，优先受理、优先审批、优先放款，贷款额度按规定上浮。",
        "conditions": "在临正常缴存住房公积金的高层次人才。",
        "materials": [ID_CARD, m("婚姻状况证明"), m("购房合同"), m("收入证明")],
        "steps": ["受理", "审批", "签订合同", "放款"],
        "location_and_hours": "临沂市住房公积金服务中心各服务大厅；工作日 9:00—17:00",
        "legal_basis": "《住房公积金管理条例》第三十三条",
        "consult_phone": "12329",
    },
    {
        "code": "LY-ZF-004",
        "name": "住房公积金提取支付房租",
        "category": Category.HOUSING,
        "mode": ServiceMode.APPLICATION,
        "department": "市住房公积金服务中心",
        "orgs": [],
        "legal_days": 3,
        "committed_days": 1,
        "visit_count": 0,
        "content": "租房居住的高层次人才可按月或按年提取住房公积金支付房租，全程网办。",
        "conditions": "在临正常缴存住房公积金且本人及配偶在临无自有住房的高层次人才。",
        "materials": [ID_CARD, m("房屋租赁合同", required=False, notes="按标准额度提取的免交")],
        "steps": ["网上申请", "审核到账"],
        "location_and_hours": "“临沂公积金”网上服务大厅、手机APP",
        "legal_basis": "《住房公积金管理条例》第二十四条",
        "consult_phone": "12329",
    },
    {
        "code": "LY-BZ-001",
        "name": "事业单位引进高层次人才专项编制使用",
        "category": Category.STAFFING,
        "mode": ServiceMode.APPLICATION,
        "department": "市委编办",
        "orgs": [],
        "legal_days": 20,
        "committed_days": 10,
        "visit_count": 1,
        "content": "事业单位引进高层次人才编制不足的，可使用人才专项编制周转池。",
        "conditions": "市直事业单位引进的高层次人才，本单位无空余编制。",
        "materials": [m("用人单位申请"), m("拟引进人才情况表"), m("主管部门意见")],
        "steps": ["单位申请", "主管部门审核", "编办审批", "办理入编"],
        "location_and_hours": "中共临沂市委机构编制委员会办公室；工作日 9:00—17:00",
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8716123",
    },
    {
        "code": "LY-ZC-001",
        "name": "高层次人才职称直接认定",
        "category": Category.TITLE,
        "mode": ServiceMode.APPLICATION,
        "department": "市人社局",
        "orgs": [],
        "legal_days": 60,
        "committed_days": 40,
        "visit_count": 2,
        "content": "引进的高层次人才可不受资历、任职年限等限制，直接认定相应专业技术职称。",
        "conditions": "全职引进的高层次人才，业绩水平达到相应职称标准。",
        "materials": [
            ID_CARD,
            m("学历学位证书"),
            m("原职称证书", required=False),
            m("业绩成果材料", notes="论文、专利、项目等"),
            m("职称认定申报表", copies=2),
            EMPLOYER_LETTER,
        ],
        "steps": ["单位推荐", "受理", "材料审核", "专家评议", "公示", "发文认定"],
        "location_and_hours": CITY_HALL,
        "legal_basis": "《职称评审管理暂行规定》（人力资源社会保障部令第40号）",
        "consult_phone": "0539-8721345",
        "revision": {
            "reason": "实行随到随评，取消纸质申报表，一次到场",
            "committed_days": 30,
            "visit_count": 1,
            "materials": [
                ID_CARD,
                m("学历学位证书"),
                m("原职称证书", required=False),
                m("业绩成果材料", notes="论文、专利、项目等"),
                EMPLOYER_LETTER,
            ],
            "steps": ["单位推荐", "受理审核", "专家评议", "公示", "发文认定"],
        },
    },
    {
        "code": "LY-GW-001",
        "name": "事业单位高层次人才特设岗位设置",
        "category": Category.POSITION,
        "mode": ServiceMode.APPLICATION,
        "department": "市人社局",
        "orgs": [],
        "legal_days": 20,
        "committed_days": 10,
        "visit_count": 1,
        "content": "事业单位引进高层次人才无相应岗位空缺的，可申请设置特设岗位，不受岗位总量和结构比例限制。",
        "conditions": "市直事业单位引进的高层次人才。",
        "materials": [m("特设岗位申请表", copies=2), m("拟聘人员情况说明"), m("主管部门意见")],
        "steps": ["单位申请", "主管部门审核", "人社部门核准", "办理聘用"],
        "location_and_hours": CITY_HALL,
        "legal_basis": "《事业单位人事管理条例》；《关于进一步做好事业单位特设岗位设置管理工作的通知》",
        "consult_phone": "0539-8721345",
    },
    {
        "code": "LY-XC-001",
        "name": "高层次人才协议工资（年薪制）备案",
        "category": Category.SALARY,
        "mode": ServiceMode.APPLICATION,
        "department": "市人社局",
        "orgs": [],
        "legal_days": 15,
        "committed_days": 5,
        "visit_count": 0,
        "content": "事业单位对高层次人才实行协议工资、项目工资、年薪制的，报人社部门备案，不纳入绩效工资总量。",
        "conditions": "市直事业单位引进的高层次人才。",
        "materials": [m("协议工资备案表"), m("聘用协议"), m("单位集体研究意见")],
        "steps": ["网上提交", "审核备案"],
        "location_and_hours": "临沂市人力资源和社会保障局网上办事大厅",
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8721345",
    },
    {
        "code": "LY-YL-001",
        "name": "就医绿色通道",
        "category": Category.MEDICAL,
        "mode": ServiceMode.DIRECT,
        "department": "市卫生健康委",
        "orgs": ["临沂市人民医院", "临沂市中心医院"],
        "visit_count": 1,
        "cards": ["shandong", "yimeng"],
        "content": "凭卡在定点医院享受专人导诊，挂号、就诊、检查、取药优先。",
        "location_and_hours": "临沂市人民医院、临沂市中心医院门诊服务中心；全天",
        "steps": ["出示人才卡和身份证", "专人导诊", "优先就诊"],
        "materials": [CARD, ID_CARD],
        "legal_basis": GREEN_CHANNEL,
        "consult_phone": "0539-8078114",
    },
    {
        "code": "LY-YL-002",
        "name": "高层次人才年度健康体检",
        "category": Category.MEDICAL,
        "mode": ServiceMode.DIRECT,
        "department": "市卫生健康委",
        "orgs": ["临沂市人民医院"],
        "visit_count": 1,
        "cards": ["yimeng"],
        "content": "持沂蒙惠才卡的高层次人才每年可在定点医院免费健康体检一次。",
        "location_and_hours": "临沂市人民医院健康管理中心；工作日 7:30—11:30（需提前预约）",
        "steps": ["预约", "凭卡体检", "领取报告"],
        "materials": [CARD, ID_CARD],
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8078114",
    },
    {
        "code": "LY-YL-003",
        "name": "高层次人才医疗保障待遇认定",
        "category": Category.MEDICAL,
        "mode": ServiceMode.APPLICATION,
        "department": "市医疗保障局",
        "orgs": [],
        "legal_days": 15,
        "committed_days": 5,
        "visit_count": 1,
        "content": "符合条件的高层次人才按规定享受相应医疗保障待遇。",
        "conditions": "在临参加职工基本医疗保险的高层次人才。",
        "materials": [ID_CARD, m("高层次人才认定证明")],
        "steps": ["受理", "审核", "待遇标识"],
        "location_and_hours": "临沂市医疗保障服务中心；工作日 9:00—17:00",
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8986111",
    },
    {
        "code": "LY-JT-001",
        "name": "临沂机场贵宾通道服务",
        "category": Category.TRANSPORT,
        "mode": ServiceMode.DIRECT,
        "department": "临沂国际机场",
        "orgs": ["临沂国际机场贵宾服务中心"],
        "visit_count": 1,
        "cards": ["shandong", "yimeng"],
        "content": "凭卡享受临沂机场贵宾休息室、专用值机柜台和安检快速通道服务，可携一名随行人员。",
        "location_and_hours": "临沂国际机场航站楼贵宾服务中心；航班运营时间",
        "steps": ["出示人才卡和身份证件", "专用柜台值机", "贵宾通道安检"],
        "materials": [CARD, m("有效身份证件及登机牌")],
        "legal_basis": GREEN_CHANNEL,
        "consult_phone": "0539-8210000",
    },
    {
        "code": "LY-JT-002",
        "name": "机场免费停车",
        "category": Category.TRANSPORT,
        "mode": ServiceMode.DIRECT,
        "department": "临沂国际机场",
        "orgs": ["临沂国际机场贵宾服务中心"],
        "visit_count": 1,
        "cards": ["yimeng"],
        "content": "持沂蒙惠才卡乘机出行的，机场停车场免收停车费（最长7日）。",
        "location_and_hours": "临沂国际机场停车场出口收费亭",
        "steps": ["出示人才卡和当次登机牌", "免费放行"],
        "materials": [CARD],
        "legal_basis": GREEN_CHANNEL,
        "consult_phone": "0539-8210000",
    },
    {
        "code": "LY-LY-001",
        "name": "A级旅游景区免费游览",
        "category": Category.LEISURE,
        "mode": ServiceMode.DIRECT,
        "department": "市文化和旅游局",
        "orgs": ["沂蒙山旅游区蒙山景区"],
        "visit_count": 1,
        "cards": ["shandong", "yimeng"],
        "content": "凭卡免费游览全市国有A级旅游景区（不含景区内交通和另行收费项目），可携配偶、子女同行。",
        "location_and_hours": "全市国有A级旅游景区售检票口；景区开放时间",
        "steps": ["出示人才卡和身份证", "免票入园"],
        "materials": [CARD, ID_CARD],
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8311012",
    },
    {
        "code": "LY-LY-002",
        "name": "公共体育场馆免费健身",
        "category": Category.LEISURE,
        "mode": ServiceMode.DIRECT,
        "department": "市体育局",
        "orgs": ["临沂市奥林匹克体育中心"],
        "visit_count": 1,
        "cards": ["yimeng"],
        "content": "凭沂蒙惠才卡免费使用市属公共体育场馆健身设施。",
        "location_and_hours": "临沂市奥林匹克体育中心；9:00—21:00",
        "steps": ["出示人才卡", "登记入场"],
        "materials": [CARD],
        "legal_basis": TALENT_MEASURES,
        "consult_phone": "0539-8120716",
    },
    {
        "code": "LY-TG-001",
        "name": "高层次人才进境自用物品通关便利",
        "category": Category.CUSTOMS,
        "mode": ServiceMode.APPLICATION,
        "department": "临沂海关",
        "orgs": [],
        "legal_days": 5,
        "committed_days": 2,
        "visit_count": 1,
        "content": "来临工作的高层次人才进境自用物品，提供预约通关、快速验放。",
        "conditions": "来临工作的高层次人才及随行家属的合理数量自用物品。",
        "materials": [m("进境物品申报单"), m("护照或身份证件"), m("物品清单"), m("提运单", required=False)],
        "steps": ["预约申报", "审核", "查验放行"],
        "location_and_hours": "中华人民共和国临沂海关业务现场；工作日 8:30—17:00",
        "legal_basis": "《中华人民共和国海关法》第四十六条",
        "consult_phone": "12360",
    },
    {
        "code": "LY-TG-002",
        "name": "科研用品进口通关便利",
        "category": Category.CUSTOMS,
        "mode": ServiceMode.APPLICATION,
        "department": "临沂海关",
        "orgs": [],
        "legal_days": 10,
        "committed_days": 3,
        "visit_count": 1,
        "content": "高层次人才承担科研项目所需进口仪器设备、试剂耗材，优先审单、优先查验。",
        "conditions": "高层次人才所在单位承担科研项目进口的科研用品。",
        "materials": [m("进口报关单"), m("科研项目证明"), m("合同及发票"), m("装箱单")],
        "steps": ["申报", "审单", "查验", "放行"],
        "location_and_hours": "中华人民共和国临沂海关业务现场；工作日 8:30—17:00",
        "legal_basis": "《中华人民共和国海关法》；《科技开发用品免征进口税收暂行规定》",
        "consult_phone": "12360",
    },
    {
        "code": "LY-SC-001",
        "name": "高层次人才创办企业登记",
        "category": Category.MARKET,
        "mode": ServiceMode.APPLICATION,
        "department": "市行政审批服务局",
        "orgs": [],
        "legal_days": 3,
        "committed_days": 2,
        "visit_count": 1,
        "content": "高层次人才创办企业的，设立登记、印章刻制、发票申领一窗受理、一次办结。",
        "conditions": "高层次人才作为主要投资人在临创办企业。",
        "materials": [m("企业设立登记申请书"), m("公司章程"), ID_CARD, m("住所使用证明")],
        "steps": ["网上申报", "窗口核验", "登记", "发照"],
        "location_and_hours": CITY_HALL,
        "legal_basis": "《中华人民共和国市场主体登记管理条例》第十九条",
        "consult_phone": "0539-8129000",
        "revision": {
            "reason": "全程网办，电子营业执照即时发放，免交住所使用证明（承诺制）",
            "committed_days": 1,
            "visit_count": 0,
            "materials": [
                m("企业设立登记申请书"),
                m("公司章程"),
                ID_CARD,
                m("住所使用证明", required=False, notes="实行承诺制，可免交"),
            ],
            "steps": ["网上申报", "审核登记", "发放电子营业执照"],
        },
    },
    {
        "code": "LY-SC-002",
        "name": "人才企业专利预审快速通道推荐",
        "category": Category.MARKET,
        "mode": ServiceMode.APPLICATION,
        "department": "市市场监督管理局",
        "orgs": [],
        "legal_days": 20,
        "committed_days": 10,
        "visit_count": 0,
        "content": "高层次人才创办或所在企业的发明专利申请，推荐进入知识产权保护中心预审快速通道。",
        "conditions": "高层次人才创办或任职的在临企业，专利属于预审服务领域。",
        "materials": [m("预审请求书"), m("专利申请文件"), m("企业备案证明")],
        "steps": ["提交请求", "推荐审核", "转入预审"],
        "location_and_hours": "临沂市市场监督管理局知识产权服务窗口；工作日 9:00—17:00",
        "legal_basis": "《专利优先审查管理办法》",
        "consult_phone": "0539-8139001",
    },
    {
        "code": "LY-QT-001",
        "name": "一对一服务专员对接",
        "category": Category.OTHER,
        "mode": ServiceMode.DIRECT,
        "department": "市委人才发展服务中心",
        "orgs": [],
        "visit_count": 0,
        "cards": ["shandong", "yimeng"],
        "content": "持卡人才可随时联系单位专员、窗口专员，获得政策咨询、事项代办和生活服务的一对一服务。",
        "location_and_hours": "电话或线上随时联系；各级高层次人才服务窗口工作日 9:00—17:00",
        "steps": ["联系专员", "专员受理并代办"],
        "materials": [CARD],
        "legal_basis": "《临沂市高层次人才服务专员管理办法》",
        "consult_phone": "0539-12345",
    },
    {
        "code": "LY-QT-002",
        "name": "高层次人才个人所得税政策辅导",
        "category": Category.OTHER,
        "mode": ServiceMode.DIRECT,
        "department": "市税务局",
        "orgs": [],
        "visit_count": 0,
        "cards": ["shandong", "yimeng"],
        "content": "为持卡人才提供个人所得税专项附加扣除、年度汇算等政策的一对一辅导。",
        "location_and_hours": "国家税务总局临沂市税务局各办税服务厅；工作日 9:00—17:00",
        "steps": ["预约", "一对一辅导"],
        "materials": [CARD],
        "legal_basis": "《中华人民共和国个人所得税法》",
        "consult_phone": "12366",
    },
]

# County items in the filing workflow (W7): (window key, final status, item).
COUNTY_ITEMS = [
    (
        "兰山区",
        FilingStatus.ACKNOWLEDGED,
        {
            "code": "LS-ZF-001",
            "name": "兰山区高层次人才安家补贴申领",
            "category": Category.HOUSING,
            "mode": ServiceMode.APPLICATION,
            "department": "兰山区住建局",
            "orgs": [],
            "legal_days": 20,
            "committed_days": 10,
            "visit_count": 1,
            "content": "在兰山区全职工作的高层次人才，按类别分期发放安家补贴。",
            "conditions": "在兰山区用人单位全职工作满一年的高层次人才。",
            "materials": [ID_CARD, m("劳动合同"), m("社保缴纳证明"), m("本人银行账户信息")],
            "steps": ["单位专员申请", "区窗口受理", "审核", "公示", "拨付"],
            "location_and_hours": "兰山区政务服务中心高层次人才服务窗口；工作日 9:00—17:00",
            "legal_basis": TALENT_MEASURES,
            "consult_phone": "0539-8311234",
        },
    ),
    (
        "兰山区",
        FilingStatus.FILED,
        {
            "code": "LS-YL-001",
            "name": "兰山区人民医院就医优先服务",
            "category": Category.MEDICAL,
            "mode": ServiceMode.DIRECT,
            "department": "兰山区卫健局",
            "orgs": [],
            "visit_count": 1,
            "cards": ["yimeng"],
            "content": "凭沂蒙惠才卡在兰山区人民医院享受挂号、就诊优先。",
            "location_and_hours": "兰山区人民医院门诊服务台；全天",
            "steps": ["出示人才卡", "优先就诊"],
            "materials": [CARD],
            "legal_basis": TALENT_MEASURES,
            "consult_phone": "0539-8311235",
        },
    ),
    (
        "罗庄区",
        FilingStatus.RETURNED,
        {
            "code": "LZ-ZN-001",
            "name": "罗庄区高层次人才子女入园服务",
            "category": Category.CHILDREN,
            "mode": ServiceMode.APPLICATION,
            "department": "罗庄区教体局",
            "orgs": [],
            "legal_days": 15,
            "committed_days": 10,
            "visit_count": 2,
            "content": "高层次人才子女入读罗庄区公办幼儿园的，按意愿协调安排。",
            "conditions": "在罗庄区工作的高层次人才的适龄子女。",
            "materials": [ID_CARD, m("子女出生医学证明"), m("户口簿")],
            "steps": ["提出申请", "受理", "协调学位", "通知入园"],
            "location_and_hours": "罗庄区教育和体育局；工作日 9:00—17:00",
            "legal_basis": TALENT_MEASURES,
            "consult_phone": "0539-8231234",
        },
    ),
    (
        "高新区",
        FilingStatus.DRAFT,
        {
            "code": "GX-SC-001",
            "name": "高新区人才企业入驻孵化器",
            "category": Category.MARKET,
            "mode": ServiceMode.APPLICATION,
            "department": "市科技局",
            "orgs": [],
            "legal_days": 20,
            "committed_days": 10,
            "visit_count": 1,
            "content": "高层次人才创办的科技型企业可申请入驻园区孵化器，场地租金按规定减免。",
            "conditions": "高层次人才在高新区创办的科技型企业。",
            "materials": [m("入驻申请书"), m("营业执照"), m("项目计划书")],
            "steps": ["提出申请", "评审", "签订入驻协议"],
            "location_and_hours": "临沂高新区科技创业服务中心；工作日 9:00—17:00",
            "legal_basis": TALENT_MEASURES,
            "consult_phone": "0539-8765432",
        },
    ),
]

RETURN_REASON = "受理条件未写明是否面向区外户籍人才，请补充，并核对法定时限依据。"


def _window_user(window, *, at, fallback):
    """A commissioner of ``window`` holding the post at ``at``, else the administrator."""
    post = (
        Post.objects.filter(kind=PostKind.WINDOW, window=window)
        .active_at(at)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return post.user if post else fallback


def _fields(spec, *, departments, orgs):
    cards = spec.get("cards", [])
    fields = {
        "code": spec["code"],
        "name": spec["name"],
        "category": spec["category"],
        "mode": spec["mode"],
        "content": spec.get("content", ""),
        "department": departments[spec["department"]],
        "legal_days": spec.get("legal_days"),
        "committed_days": spec.get("committed_days"),
        "location_and_hours": spec.get("location_and_hours", ""),
        "conditions": spec.get("conditions", ""),
        "materials": spec.get("materials", []),
        "steps": spec.get("steps", []),
        "legal_basis": spec.get("legal_basis", ""),
        "consult_phone": spec.get("consult_phone", ""),
        "complaint_phone": COMPLAINT,
        "visit_count": spec.get("visit_count", 1),
        "accepts_shandong_card": "shandong" in cards,
        "accepts_yimeng_card": "yimeng" in cards,
    }
    return fields, [orgs[name] for name in spec.get("orgs", [])]


@transaction.atomic
def load_demo(*, at) -> None:
    """Load the demo catalogue (after the reference data and the commissioners exist)."""
    ref = load_reference_data()
    windows, departments, divisions = ref["windows"], ref["departments"], ref["divisions"]
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        raise RuntimeError("请先载入基础演示数据（需要一个系统管理员账号）。")
    orgs = {}
    for name, department in UNDERTAKING_ORGS:
        orgs[name], _ = UndertakingOrg.objects.get_or_create(
            department=departments[department], name=name, defaults={"division": divisions["临沂市"]}
        )
    # The city items were first published a year ago; the optimisations went out three months ago.
    first_published = at - datetime.timedelta(days=365)
    optimised = at - datetime.timedelta(days=90)
    top_categories = list(TalentCategory.objects.filter(code__in=["A", "B", "C"]))

    for spec in CITY_ITEMS:
        if ServiceItem.objects.filter(code=spec["code"]).exists():
            continue
        fields, item_orgs = _fields(spec, departments=departments, orgs=orgs)
        # The annual health check is for the top three categories; every other item is for all.
        categories = top_categories if spec["code"] == "LY-YL-002" else []
        item = actions.create_item(
            window=windows["临沂市"],
            by=admin,
            at=first_published,
            undertaking_orgs=item_orgs,
            talent_categories=categories,
            reason="纳入绿色通道服务事项目录",
            **fields,
        )
        actions.publish_item(item, by=admin, at=first_published)
        revision = spec.get("revision")
        if revision:
            changes = {k: v for k, v in revision.items() if k != "reason"}
            actions.revise_item(
                item,
                by=admin,
                at=optimised,
                reason=revision["reason"],
                undertaking_orgs=item_orgs,
                talent_categories=categories,
                **changes,
            )
            actions.publish_item(item, by=admin, at=optimised)

    city_reviewer = _window_user(windows["临沂市"], at=at, fallback=admin)
    for window_key, final_status, spec in COUNTY_ITEMS:
        if ServiceItem.objects.filter(code=spec["code"]).exists():
            continue
        window = windows[window_key]
        drafter = _window_user(window, at=at, fallback=admin)
        fields, item_orgs = _fields(spec, departments=departments, orgs=orgs)
        item = actions.create_item(
            window=window, by=drafter, at=at, undertaking_orgs=item_orgs, reason="新增本区服务事项", **fields
        )
        if final_status == FilingStatus.DRAFT:
            continue
        actions.file_item(item, by=drafter, at=at, note="新增事项，请予备案")
        if final_status == FilingStatus.ACKNOWLEDGED:
            actions.acknowledge_item(item, by=city_reviewer, at=at, note="同意备案")
        elif final_status == FilingStatus.RETURNED:
            actions.return_item(item, by=city_reviewer, at=at, reason=RETURN_REASON)

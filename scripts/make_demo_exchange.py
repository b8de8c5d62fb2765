"""Write the demo's sample exchange files in huicai/exchange/data/: employers, their unit commissioners,
and talents.

The demo loads them through the importer itself (huicai/exchange/demo.py), as a city would its own
spreadsheets. Deterministic: running this again writes the same bytes. Run from the repository root:
``PYTHONPATH=. DEBUG=1 python scripts/make_demo_exchange.py``.
"""

import csv
import datetime
import io
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huicai.settings")

import django  # noqa: E402

django.setup()

from huicai.core.demo import EMPLOYERS, GIVEN, SURNAMES  # noqa: E402

from huicai.core.identifiers import make_credit_code, make_mobile, make_resident_id  # noqa: E402
from huicai.exchange.kinds import KINDS  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "huicai" / "exchange" / "data"

# Three employers a city brings in with its spreadsheets: a company, and two public institutions whose
# 事业单位 credit codes start with 1.
NEW_EMPLOYERS = [
    ("兰山区智慧物流研究院", "12", "371302", "兰山区高层次人才服务窗口", "临沂市兰山区金雀山路8号"),
    ("罗庄区新能源材料有限公司", "91", "371311", "371311", "临沂市罗庄区罗七路16号"),
    ("河东区人民医院", "12", "371312", "河东区高层次人才服务窗口", "临沂市河东区人民大街2号"),
]


def institution_code(prefix: str, division: str, serial: int) -> str:
    from stdnum.cn import uscc

    body = f"{prefix}{division}MB{serial:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def write(path: Path, kind, rows) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(kind.headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in kind.headers])
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))


def main() -> None:
    rng = random.Random(20211108)
    employers = []
    for serial, (name, prefix, division, window, address) in enumerate(NEW_EMPLOYERS, start=1):
        code = (
            make_credit_code(division, 8000 + serial)
            if prefix == "91"
            else institution_code(prefix, division, 8000 + serial)
        )
        employers.append({"单位名称": name, "统一社会信用代码": code, "属地窗口": window, "地址": address})
    write(DATA / "demo-employers.csv", KINDS["employers"], employers)

    # A unit commissioner at each new employer (S6: every talent has one), with a login of their own.
    commissioners = [
        {
            "账号": f"unit_new_{serial}",
            "姓名": SURNAMES[rng.randrange(len(SURNAMES))] + rng.choice(GIVEN),
            "专员类别": "单位专员",
            "所属单位": row["统一社会信用代码"],
            "职务": "人力资源部",
            "办公电话": f"0539-86{serial:06d}",
        }
        for serial, row in enumerate(employers, start=1)
    ]
    write(DATA / "demo-commissioners.csv", KINDS["commissioners"], commissioners)

    # Ten talents at the new employers and at the demo's 临沂医药集团有限公司, whose first unit
    # commissioner is the `unit` login (core/demo.py). Their ID cards carry 河东区 or 沂南县 codes.
    pharma = make_credit_code(EMPLOYERS[0][2], 7001)
    placements = [
        (row["统一社会信用代码"], NEW_EMPLOYERS[i][2], f"unit_new_{i + 1}") for i, row in enumerate(employers)
    ]
    placements.append((pharma, EMPLOYERS[0][2], "unit"))
    talents = []
    for serial in range(1, 11):
        credit_code, division, login = placements[serial % len(placements)]
        birth = datetime.date(rng.randrange(1965, 1994), rng.randrange(1, 13), rng.randrange(1, 29))
        talents.append(
            {
                "姓名": SURNAMES[rng.randrange(len(SURNAMES))] + rng.choice(GIVEN) + rng.choice(GIVEN),
                "公民身份号码": make_resident_id(rng.choice(["371312", "371321"]), birth, 500 + serial),
                "手机号码": make_mobile(70000000 + serial * 6151),
                "人才类别": rng.choice("BCCDDDEEE"),
                "用人单位统一社会信用代码": credit_code,
                "属地窗口": division,
                "单位专员账号": login,
            }
        )
    write(DATA / "demo-talents.csv", KINDS["talents"], talents)


if __name__ == "__main__":
    main()

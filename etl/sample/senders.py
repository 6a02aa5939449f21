"""报送单位及其固定填报习惯（表头、日期、金额单位、县区写法……），以及 manifest 中的说明。"""

from __future__ import annotations

from dataclasses import dataclass

from etl import divisions, vocab
from etl.sample.calibration import DEPARTMENTS


@dataclass(frozen=True)
class Style:
    """一个报送单位的固定填报习惯。"""

    header: str = "merged"      # merged 两行合并表头 | linebreak 换行和全角括号 | single 单行表头 | altgroup | alias
    dates: str = "excel"        # excel 日期单元格 | serial 序列号数字 | ym_dash | ym_dot | ym_cn | ymd_slash | ymd_dash | ymd_cn
    unit: str = "万元"           # 万元 | 亿元
    unit_line: bool = True
    county_fmt: str = "plain"   # plain 平城区 | city_prefix 大同市平城区 | short 平城
    zone_fmt: str = "plain"     # plain 全称 | short 简称
    vocab: str = "std"          # std | alt | alt2（项目类别、级别、行业等的另一种写法）
    decimals: int = 2           # 金额小数位
    csv_progress: bool = False  # 项目进展表另存为 GBK 编码的 csv
    sheet_names: tuple[str, str, str, str] = ("项目进展", "储备项目", "问题清单", "节点计划")
    footer: str = "row"         # row 落款在一行 | lines 落款分行
    formulas: bool = False      # 小计/合计写成公式（带计算结果）
    title_order: str = "period_first"


STYLES: dict[str, Style] = {
    "平城区": Style(formulas=True),
    "云冈区": Style(dates="ym_dash", county_fmt="city_prefix"),
    "新荣区": Style(dates="ym_dot", unit_line=False, title_order="place_first"),
    "云州区": Style(header="linebreak", dates="ym_cn"),
    "阳高县": Style(header="single", dates="ymd_slash"),
    "天镇县": Style(csv_progress=True),
    "广灵县": Style(dates="serial", sheet_names=("重点工程进展", "储备库", "问题清单", "挂图作战")),
    "灵丘县": Style(dates="ymd_cn", unit="亿元", decimals=0),
    "浑源县": Style(header="altgroup", dates="ymd_dash", county_fmt="short", vocab="alt"),
    "左云县": Style(header="alias", dates="ym_dot", decimals=0, vocab="alt2", footer="lines"),
    "大同经济技术开发区": Style(zone_fmt="short", sheet_names=("年度建设项目", "储备项目", "问题清单", "节点计划")),
    "云冈经济技术开发区": Style(header="single", dates="ym_dash"),
    "新荣经济技术开发区": Style(dates="ym_cn", unit_line=False),
    "左云经济技术开发区": Style(dates="serial", footer="lines"),
    "广灵经济技术开发区": Style(header="alias", dates="ymd_slash"),
    "市交通运输局": Style(),
    "市水务局": Style(dates="ymd_dash", decimals=0),
    "市住房和城乡建设局": Style(header="linebreak", dates="ym_dash", footer="lines"),
}

MESSINESS = [
    ("平城区", "标准两行合并表头；日期为 Excel 日期单元格；小计/合计写成 SUM 公式（带计算结果）"),
    ("云冈区", "县区写成「大同市云冈区」；日期写成 2026-03"),
    ("新荣区", "没有「单位：万元」行；标题把期间放在单位名称之后；日期写成 2026.3"),
    ("云州区", "表头用「统一项目代码」「所在县（区）」「年度计划\\n投资（万元）」等换行和全角括号写法；日期写成 2026年3月"),
    ("阳高县", "单行表头（本月完成投资、年累计完成投资、开工累计完成投资、计划开工时间）；日期写成 2026/3/15"),
    ("天镇县", "项目进展表另存为 GBK 编码的 csv（含标题、两行表头、小计合计和落款，日期为 2026/3/15），其余三张表在同名 xlsx 中"),
    ("广灵县", "日期写成 Excel 序列号（纯数字，如 46082）；工作表名为 重点工程进展/储备库/问题清单/挂图作战"),
    ("灵丘县", "金额以亿元填报（单位：亿元，表头（亿元），保留4位小数）；日期写成 2026年3月15日"),
    ("浑源县", "表头分组为 计划投资[总投资|年度]、完成投资[本月|年累计|开工累计]、开工时间[计划|实际]，列名用别名"
               "（业主单位、县区、项目类型、项目级别、产业类别、投资主体、工程进展、东经、北纬……）；"
               "县区写成简称「浑源」；类别写成 新建/在建，级别 市级重点，行业 制造业/现代农业/社会事业，"
               "投资类型 企业/政府，招商引资 √/空，问题状态 新发现/交办/推进中/挂牌督办/已销号，问题类型 土地/融资/手续/征拆；"
               "日期写成 2026-03-15"),
    ("左云县", "表头用别名（项目编码、项目单位、所属县区、所在园区、建设性质、本年计划投资、要素保障[资金|用地]……）；"
               "类别写成 新开工项目/续建项目，级别 市重点；金额取整；落款分行；日期写成 2026.3"),
    ("大同经济技术开发区", "开发区写成简称「大同经开区」；项目进展工作表名为「年度建设项目」"),
    ("云冈经济技术开发区", "单行表头；日期写成 2026-03"),
    ("新荣经济技术开发区", "没有单位行；日期写成 2026年3月"),
    ("左云经济技术开发区", "日期写成 Excel 序列号；落款分行"),
    ("广灵经济技术开发区", "表头用别名（同左云县）；日期写成 2026/3/15"),
    ("市交通运输局", "市本级项目，所在县区为项目实际所在县区；标准表头"),
    ("市水务局", "市本级项目；金额取整；日期写成 2026-03-15"),
    ("市住房和城乡建设局", "市本级项目；换行表头；日期写成 2026-03；最后一个月迟报（没有文件）"),
    ("所有单位", "部分非必填单元格留空；约0.5%的项目进展行有已知错误（见 faults）；个别项目某月漏报、次月又出现（见 omissions）；"
                 "约2%的问题未办结就从下月清单中消失；办结但企业不满意的问题次月重新办理（办理中，新的完成时限，"
                 "问题编号不变，见 reopened_problems），之后满意或基本满意销号，少数仍在办理并转督办；"
                 "约8%的问题缺少「五到位」中的一项；2—3个重点工程缺包联领导；"
                 "每种统计口径疑点（年累计≠上月年累计+本月、年累计回退、开工累计小于年累计、金额差一个数量级）"
                 "约占项目进展行的0.3%，行本身合规、照常入库（见 inconsistencies）；"
                 "本月没有任何项目的单位不报送（见 truth.senders_empty，只在很小的 scale 下出现）"),
]


@dataclass
class Sender:
    sid: str            # 报送单位名称（文件名中使用）
    kind: str           # county | zone | dept
    unit_code: str      # 县区代码 / 开发区代码 / 140200
    place: str          # 标题中的名称
    filler_org: str     # 落款「填报单位」
    style: Style
    filler: str = ""
    reviewer: str = ""
    phone: str = ""


def _senders() -> list[Sender]:
    out = []
    for code, name in divisions.COUNTIES:
        org = f"{'大同市' if STYLES[name].county_fmt == 'city_prefix' else ''}{name}发展和改革局"
        out.append(Sender(name, "county", code, f"大同市{name}", org, STYLES[name]))
    for code, name, _host in divisions.ZONES:
        out.append(Sender(name, "zone", code, name, f"{name}管理委员会经济发展局", STYLES[name]))
    for name in DEPARTMENTS:
        out.append(Sender(name, "dept", divisions.CITY_LEVEL[0], f"大同{name}（市本级）", f"大同{name}", STYLES[name]))
    return out

"""示例数据：按大同市各县区、开发区和市直部门每月报送的样子，生成项目建设月报表。

generate() 先用固定随机种子构造一个完整的项目盘子（储备 → 新开工 → 续建 → 竣工投产，
重点工程、包联领导、节点计划、问题清单），再逐月、逐报送单位写出表格：每个单位每月一个
xlsx（天镇县的「项目进展」为 GBK 编码的 csv），标题行、单位行、两行合并表头、分组标题、
小计/合计行和落款都与县区实际报表一样。表头写法、日期写法、金额单位、县区写法等各单位
各有固定习惯，并按已知方式混入少量错误行（缺项目代码、未知县区、负数金额、非数值金额、
年累计小于本月、坐标不在大同、重复行、同一项目数据冲突）。

另有两类不是错误、ETL 照常接收的情况：统计部门会核实的口径疑点（年累计≠上月年累计+本月、
年累计回退、开工累计小于年累计、金额差一个数量级，每种约占项目进展行的0.3%，列在
manifest 的 inconsistencies 中）；问题办结但企业不满意的，不能销号，次月以同一问题编号重新
办理（办理中、新的完成时限），之后满意销号，少数仍在办理并转督办（reopened_problems）。
只有约2%的问题未办结就从下月清单中消失（驾驶舱标「未续报」）。

每个文件、每个错误、每个月的「应得结果」（有效行数、年度计划/本月/年累计合计、储备项目
数及总投资、各级重点工程数、各状态问题数）都写进 manifest.json，供测试核对 ETL。
同一 seed 和 scale 生成的文件逐字节相同。金额单位为万元（1亿元 = 10000万元）。
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import multiprocessing
import os
import random
import threading
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from etl import boundary, divisions, vocab
from etl.problem_rules import SATISFIED

# ---------------------------------------------------------------- 标定参数

# 全市固定资产投资年度计划（万元），scale=1：2025年约730亿元，年增约9%
PLAN_2025_WAN = 7_300_000.0
PLAN_GROWTH = 1.09
NEW_STARTS_PER_YEAR = 555        # 当年首次列入新开工的项目数（另有约3%上年未开工、重新列入）
PROMO_SAME_YEAR = 175            # 招商引资：当年签约当年开工
PROMO_NEXT_YEAR = 120            # 招商引资：当年签约次年开工
PIPELINE_PER_YEAR = 310          # 只在储备库中的项目（谋划、调出或远期），其中约55个为招商签约
PIPELINE_PROMO = 55
KEY_QUOTA = {"province_managed": 15, "province_city_managed": 35, "municipal": 150}
RESERVE_TARGET_RATIO = 5.1       # 储备项目总投资 / 当年年度计划投资，政策要求 ≥ 5 倍
PROBLEMS_BASE_RATE = 0.25        # 每个年度项目每年平均发现的问题数（落后、停工、重点项目更多）
FAULT_RATE = 0.005               # 项目进展表中有错误的行的比例
OMIT_RATE = 0.003                # 某月漏报某个项目的比例
VANISH_RATE = 0.02               # 问题未办结就从下月清单中消失的比例（驾驶舱标「未续报」的错误）
REOPEN_STAY_OPEN = 0.12          # 企业不满意、次月重新办理的问题中，到数据截止仍未办结（转督办）的比例
REOPEN_STAY_OPEN_MONTHS = 6      # 只有最近几个月重新办理的问题可能仍未办结
INCONSISTENCY_RATE = 0.003       # 每种统计口径疑点（见 INCONSISTENCY_KINDS）占项目进展行的比例

# 大同：12月至次年3月基本停工，4—10月是施工旺季
SEASON = (0.02, 0.02, 0.05, 0.09, 0.12, 0.13, 0.13, 0.13, 0.12, 0.10, 0.06, 0.03)
START_MONTH_W = {2: 0.10, 3: 0.22, 4: 0.22, 5: 0.16, 6: 0.12, 7: 0.08, 8: 0.06, 9: 0.04}  # 0起算的月份
END_MONTH_W = {5: 0.15, 6: 0.08, 7: 0.08, 8: 0.12, 9: 0.22, 10: 0.15, 11: 0.20}

COUNTY_WEIGHT = {"140213": 0.17, "140214": 0.14, "140212": 0.08, "140215": 0.12, "140221": 0.08,
                 "140222": 0.07, "140223": 0.08, "140224": 0.09, "140225": 0.09, "140226": 0.08}
# 县区完成投资相对序时进度的系数：云州区、左云县、灵丘县明显靠前，天镇县、新荣区、浑源县明显落后
COUNTY_FACTOR = {"140213": 1.00, "140214": 0.98, "140212": 0.70, "140215": 1.22, "140221": 0.96,
                 "140222": 0.66, "140223": 0.99, "140224": 1.18, "140225": 0.72, "140226": 1.20}
ZONE_WEIGHT = {"140271": 0.35, "140291": 0.20, "140292": 0.15, "140293": 0.15, "140294": 0.15}
ZONE_SHARE = 0.15
DEPT_SHARE = 0.06
DEPARTMENTS = ("市交通运输局", "市水务局", "市住房和城乡建设局")
DEPT_WEIGHT = {"市交通运输局": 0.45, "市水务局": 0.25, "市住房和城乡建设局": 0.30}
DEPT_FACTOR = {"市交通运输局": 1.0, "市水务局": 0.96, "市住房和城乡建设局": 0.90}
DEPT_COUNTY_WEIGHT = {
    "市交通运输局": {c: 1.0 for c in COUNTY_WEIGHT},
    "市水务局": {c: 1.0 for c in COUNTY_WEIGHT},
    "市住房和城乡建设局": {"140213": 0.45, "140214": 0.25, "140215": 0.15, "140212": 0.15},
}
LATE_REPORTER = "市住房和城乡建设局"

SECTOR_WEIGHT = {"工业": 0.32, "农业": 0.11, "服务业": 0.15, "科技创新平台": 0.04, "基础设施": 0.21, "社会民生": 0.17}
ZONE_SECTOR_WEIGHT = {"工业": 0.66, "科技创新平台": 0.10, "服务业": 0.10, "基础设施": 0.14}
SECTOR_SIZE = {"工业": 0.75, "农业": 0.55, "服务业": 0.95, "科技创新平台": 0.6, "基础设施": 1.6, "社会民生": 0.85}


@dataclass(frozen=True)
class Tpl:
    """项目名称模板及其行业属性。"""

    sector: str
    pattern: str
    weight: float = 1.0
    six_new: str | None = None
    two_new: str | None = None
    tags: tuple[str, ...] = ()
    industry: str = "34"
    size: float = 1.0
    gov: float = 0.0
    owner: str = "科技"           # 企业名称中的行业词
    gov_owner: str = "发展和改革局"  # 政府投资时的建设单位（县区部门）
    unit: str = "市发展和改革委员会"  # 重点工程的市级责任单位
    n: tuple[int, ...] = (1,)
    land: tuple[int, int] = (20, 200)


T = Tpl
INDUSTRY = [
    T("工业", "{place}年产{n}万吨新型碳材料项目", 0.338, "新材料", None, ("碳基新材料",), "30", 1.3, 0, "新材料科技",
      unit="市工业和信息化局", n=(1, 2, 3, 5, 10), land=(80, 500)),
    T("工业", "{place}年产{n}吨碳纤维及复合材料项目", 0.188, "新材料", None, ("碳基新材料",), "28", 1.5, 0, "碳纤维科技",
      unit="市工业和信息化局", n=(1000, 3000, 5000), land=(100, 400)),
    T("工业", "{place}石墨烯导热膜生产线建设项目", 0.112, "新材料", None, ("碳基新材料", "专精特新"), "30", .8, 0,
      "石墨烯科技", unit="市工业和信息化局"),
    T("工业", "{place}氢燃料电池电堆及系统生产基地项目", 0.165, "新技术", None, ("氢能",), "38", 1.4, 0, "氢能科技",
      unit="市工业和信息化局", land=(100, 300)),
    T("工业", "{place}{n}MW/{m}MWh独立储能电站项目", 0.165, "新技术", None, ("新能源", "储能"), "44", 1.4, 0, "储能科技",
      unit="市能源局", n=(50, 100, 200), land=(30, 120)),
    T("工业", "{place}大数据中心建设项目", 0.135, "新基建", None, ("数字经济",), "65", 1.6, 0, "数据科技",
      unit="市工业和信息化局", land=(50, 300)),
    T("工业", "{place}智能算力中心建设项目", 0.105, "新基建", None, ("数字经济", "算力"), "65", 1.8, 0, "算力科技",
      unit="市工业和信息化局", land=(50, 200)),
    T("工业", "{place}年产{n}套风电装备制造项目", 0.165, "新装备", None, ("新能源", "装备制造"), "34", 1.1, 0, "装备制造",
      unit="市工业和信息化局", n=(100, 200, 300, 500)),
    T("工业", "{place}智能矿山装备制造基地项目", 0.135, "新装备", None, ("装备制造", "智能制造"), "35", 1.0, 0, "智能装备",
      unit="市工业和信息化局"),
    T("工业", "{place}新能源汽车零部件产业园项目", 0.135, "新产品", None, ("新能源汽车",), "36", 1.2, 0, "汽车零部件",
      unit="市工业和信息化局", land=(150, 600)),
    T("工业", "{place}工业互联网平台建设项目", 0.09, "新业态", None, ("数字经济",), "65", .5, 0, "信息技术",
      unit="市工业和信息化局", land=(5, 30)),
    T("工业", "{place}生物医药产业园项目", 0.105, "新产品", None, ("生物医药",), "27", 1.0, 0, "医药", unit="市工业和信息化局"),
    T("工业", "{place}高纯陶瓷新材料生产线项目", 0.105, "新材料", None, ("新材料",), "30", .7, 0, "陶瓷科技",
      unit="市工业和信息化局"),
    T("工业", "{place}年产{n}吨电子级多晶硅项目", 0.068, "新材料", None, ("新材料", "光伏"), "39", 2.0, 0, "硅材料科技",
      unit="市工业和信息化局", n=(3000, 5000, 10000), land=(200, 800)),
    T("工业", "{place}{n}MW光伏发电项目", 1.2, None, None, ("新能源", "光伏"), "44", 1.6, 0, "光伏发电",
      unit="市能源局", n=(50, 100, 150, 200, 300), land=(800, 6000)),
    T("工业", "{place}{n}MW风电项目", 1.0, None, None, ("新能源", "风电"), "44", 1.8, 0, "风力发电",
      unit="市能源局", n=(50, 100, 150, 200), land=(50, 300)),
    T("工业", "{place}煤矿智能化改造项目", .8, None, None, ("智能化改造", "煤炭"), "06", 1.0, 0, "煤业", unit="市能源局",
      land=(0, 20)),
    T("工业", "{place}年产{n}万吨煤矸石综合利用项目", .6, None, None, ("固废综合利用",), "30", .7, 0, "新型建材",
      unit="市工业和信息化局", n=(30, 50, 100)),
    T("工业", "{place}年产{n}万立方米加气混凝土砌块项目", .5, None, None, ("建材",), "30", .4, 0, "建材",
      unit="市工业和信息化局", n=(10, 20, 30)),
    T("工业", "{place}装配式建筑构件生产基地项目", .5, None, None, ("装配式建筑",), "30", .6, 0, "建筑科技",
      unit="市工业和信息化局"),
    T("工业", "{place}年产{n}万吨乳制品加工项目", .4, None, None, ("食品加工",), "14", .7, 0, "乳业",
      unit="市工业和信息化局", n=(5, 10, 20)),
    T("工业", "{place}黄花精深加工项目", .4, None, None, ("黄花产业", "食品加工"), "13", .4, 0, "黄花产业开发",
      unit="市农业农村局", land=(20, 80)),
    T("工业", "{place}燕麦系列食品加工项目", .3, None, None, ("食品加工", "杂粮"), "13", .35, 0, "食品",
      unit="市工业和信息化局", land=(20, 80)),
    T("工业", "{place}热电联产机组超低排放改造项目", .3, None, None, ("节能降碳",), "44", .9, 0, "热电",
      unit="市能源局", land=(0, 30)),
]
AGRICULTURE = [
    T("农业", "{place}现代农业产业园建设项目", 1, tags=("乡村振兴",), industry="05", size=.8, gov=.4, owner="现代农业开发",
      gov_owner="农业农村局", unit="市农业农村局", land=(300, 3000)),
    T("农业", "{place}黄花标准化种植基地建设项目", .8, tags=("黄花产业", "乡村振兴"), industry="01", size=.4, gov=.3,
      owner="黄花种植", gov_owner="农业农村局", unit="市农业农村局", land=(500, 5000)),
    T("农业", "{place}{n}万只肉羊标准化养殖项目", .6, tags=("畜牧养殖",), industry="03", size=.5, owner="牧业",
      unit="市农业农村局", n=(1, 2, 5), land=(100, 600)),
    T("农业", "{place}{n}万头生猪养殖项目", .5, tags=("畜牧养殖",), industry="03", size=.6, owner="牧业",
      unit="市农业农村局", n=(1, 2, 3, 5), land=(100, 500)),
    T("农业", "{place}高标准农田建设项目", .7, tags=("乡村振兴", "高标准农田"), industry="05", size=.5, gov=1,
      gov_owner="农业农村局", unit="市农业农村局", land=(5000, 30000)),
    T("农业", "{place}设施农业大棚建设项目", .5, tags=("设施农业",), industry="01", size=.3, gov=.2, owner="设施农业",
      gov_owner="农业农村局", unit="市农业农村局", land=(100, 800)),
    T("农业", "{place}杂粮精深加工项目", .4, tags=("杂粮",), industry="13", size=.4, owner="杂粮开发",
      unit="市农业农村局", land=(20, 100)),
    T("农业", "{place}农产品冷链物流中心项目", .4, tags=("冷链物流",), industry="59", size=.5, owner="冷链物流",
      unit="市商务局", land=(30, 150)),
    T("农业", "{place}奶牛养殖牧场建设项目", .4, tags=("畜牧养殖",), industry="03", size=.7, owner="牧业",
      unit="市农业农村局", land=(200, 900)),
]
SERVICES = [
    T("服务业", "{place}{w}商业综合体项目", .8, tags=("城市更新",), industry="70", size=1.5, owner="置业", unit="市商务局",
      land=(30, 150)),
    T("服务业", "{place}{w}现代物流园建设项目", 1, tags=("现代物流",), industry="59", size=1.0, owner="物流",
      unit="市商务局", land=(100, 600)),
    T("服务业", "{place}{w}文旅康养综合体项目", .7, tags=("文旅融合", "康养"), industry="87", size=1.2, owner="文化旅游开发",
      unit="市文化和旅游局", land=(100, 800)),
    T("服务业", "{place}{w}温泉度假区建设项目", .3, tags=("文旅融合",), industry="61", size=1.0, owner="温泉旅游开发",
      unit="市文化和旅游局", land=(100, 500)),
    T("服务业", "{place}{w}酒店建设项目", .4, tags=("文旅融合",), industry="61", size=.6, owner="酒店管理",
      unit="市文化和旅游局", land=(10, 50)),
    T("服务业", "{place}电子商务产业园建设项目", .4, tags=("数字经济", "电子商务"), industry="51", size=.5, owner="电子商务",
      unit="市商务局", land=(20, 100)),
    T("服务业", "{place}乡村旅游示范区建设项目", .5, tags=("文旅融合", "乡村振兴"), industry="87", size=.5, gov=.3,
      owner="乡村旅游开发", gov_owner="文化和旅游局", unit="市文化和旅游局", land=(50, 500)),
    T("服务业", "{place}汽车商贸服务综合体项目", .3, industry="52", size=.5, owner="汽车销售服务", unit="市商务局",
      land=(20, 80)),
    T("服务业", "{place}农贸市场提质改造项目", .3, tags=("城市更新",), industry="52", size=.2, gov=.3, owner="商贸",
      gov_owner="商务局", unit="市商务局", land=(5, 30)),
]
TECH = [
    T("科技创新平台", "{place}{tech}产业技术研究院建设项目", 1, tags=("科技创新",), industry="73", size=.6, gov=.4,
      owner="产业技术研究院", gov_owner="科技局", land=(10, 60)),
    T("科技创新平台", "{place}{tech}创新中心建设项目", 1, tags=("科技创新",), industry="73", size=.6, gov=.3,
      owner="创新中心", gov_owner="科技局", land=(10, 60)),
    T("科技创新平台", "{place}科技企业孵化基地建设项目", .7, tags=("科技创新", "双创"), industry="75", size=.4, gov=.5,
      owner="孵化器管理", gov_owner="科技局", land=(10, 50)),
    T("科技创新平台", "{place}{tech}中试基地建设项目", .5, tags=("科技创新",), industry="73", size=.5, owner="中试科技",
      land=(20, 80)),
]
INFRA = [
    T("基础设施", "{place}{a}至{b}公路改造工程", 1, two_new="交通水利等重大工程", tags=("交通强市",), industry="48",
      size=1.2, gov=.95, owner="路桥建设", gov_owner="交通运输局", unit="市交通运输局", land=(100, 800)),
    T("基础设施", "{place}城区供热管网改造工程", .7, two_new="新型城镇化", tags=("城市更新", "清洁取暖"), industry="44",
      size=.8, gov=.8, owner="热力", gov_owner="住房和城乡建设局", unit="市住房和城乡建设局", land=(0, 10)),
    T("基础设施", "{place}污水处理厂提标改造工程", .5, tags=("生态治理",), industry="46", size=.5, gov=.9,
      owner="水务环保", gov_owner="住房和城乡建设局", unit="市水务局", land=(10, 60)),
    T("基础设施", "{place}{r}河道综合治理工程", .6, two_new="交通水利等重大工程", tags=("生态治理", "水利"),
      industry="76", size=.9, gov=1, gov_owner="水利局", unit="市水务局", land=(100, 1500)),
    T("基础设施", "{place}城乡供水一体化工程", .5, two_new="交通水利等重大工程", tags=("水利", "民生工程"), industry="46",
      size=.8, gov=1, gov_owner="水利局", unit="市水务局", land=(20, 200)),
    T("基础设施", "{place}{res}水库除险加固工程", .2, two_new="交通水利等重大工程", tags=("水利",), industry="76",
      size=.7, gov=1, gov_owner="水利局", unit="市水务局", land=(0, 50)),
    T("基础设施", "{place}{kv}千伏输变电工程", .5, tags=("电网",), industry="44", size=1.0, owner="电力工程",
      unit="市能源局", land=(10, 60)),
    T("基础设施", "{place}5G基站建设项目", .4, two_new="新型基础设施", tags=("数字经济", "5G"), industry="63", size=.6,
      owner="通信网络", unit="市工业和信息化局", land=(0, 10)),
    T("基础设施", "{place}新能源汽车充电基础设施建设项目", .4, two_new="新型基础设施", tags=("新能源汽车", "充电设施"),
      industry="44", size=.4, gov=.2, owner="充电科技", gov_owner="发展和改革局", unit="市能源局", land=(5, 40)),
    T("基础设施", "{place}燃气管网改造工程", .4, two_new="新型城镇化", tags=("城市更新",), industry="45", size=.5, gov=.5,
      owner="燃气", gov_owner="住房和城乡建设局", unit="市住房和城乡建设局", land=(0, 10)),
    T("基础设施", "{place}城市道路提质改造工程", .6, two_new="新型城镇化", tags=("城市更新",), industry="48", size=.7,
      gov=1, gov_owner="住房和城乡建设局", unit="市住房和城乡建设局", land=(0, 50)),
    T("基础设施", "{place}雨污分流改造工程", .4, two_new="新型城镇化", tags=("城市更新", "生态治理"), industry="78",
      size=.5, gov=1, gov_owner="住房和城乡建设局", unit="市住房和城乡建设局", land=(0, 10)),
    T("基础设施", "{place}园区标准化厂房及配套基础设施项目", .5, tags=("园区建设",), industry="48", size=.8, gov=.7,
      owner="园区开发", gov_owner="发展和改革局", unit="市工业和信息化局", land=(100, 500)),
]
SOCIAL = [
    T("社会民生", "{yr}年{place}老旧小区改造工程", 1, two_new="新型城镇化", tags=("城市更新", "民生工程"), industry="47",
      size=.6, gov=1, gov_owner="住房和城乡建设局", unit="市住房和城乡建设局", land=(0, 0)),
    T("社会民生", "{place}第{cn}中学新建项目", .5, tags=("教育",), industry="83", size=.5, gov=1, gov_owner="教育局",
      unit="市教育局", n=(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), land=(40, 120)),
    T("社会民生", "{place}人民医院门诊综合楼建设项目", .4, tags=("医疗卫生",), industry="84", size=.7, gov=1,
      gov_owner="人民医院", unit="市卫生健康委员会", land=(10, 60)),
    T("社会民生", "{place}中医医院迁建项目", .3, tags=("医疗卫生",), industry="84", size=.8, gov=1, gov_owner="中医医院",
      unit="市卫生健康委员会", land=(30, 100)),
    T("社会民生", "{place}养老服务中心建设项目", .4, tags=("养老",), industry="85", size=.3, gov=.7, owner="养老服务",
      gov_owner="民政局", unit="市发展和改革委员会", land=(10, 50)),
    T("社会民生", "{place}保障性租赁住房项目", .5, two_new="新型城镇化", tags=("保障性住房",), industry="70", size=.9,
      gov=.8, owner="置业", gov_owner="住房和城乡建设局", unit="市住房和城乡建设局", land=(20, 120)),
    T("社会民生", "{place}城中村改造项目", .4, two_new="新型城镇化", tags=("城市更新",), industry="70", size=1.3, gov=.9,
      owner="城市更新", gov_owner="住房和城乡建设局", unit="市住房和城乡建设局", land=(50, 400)),
    T("社会民生", "{place}全民健身中心建设项目", .3, tags=("体育",), industry="89", size=.5, gov=1,
      gov_owner="文化和旅游局", unit="市文化和旅游局", land=(20, 80)),
    T("社会民生", "{place}第{cn}幼儿园建设项目", .4, tags=("教育",), industry="83", size=.15, gov=1, gov_owner="教育局",
      unit="市教育局", n=(1, 2, 3, 4, 5, 6, 7, 8, 9), land=(5, 20)),
    T("社会民生", "{place}职业技术学校实训基地建设项目", .3, tags=("教育", "职业教育"), industry="83", size=.3, gov=1,
      gov_owner="教育局", unit="市教育局", land=(20, 80)),
    T("社会民生", "{place}疾病预防控制中心建设项目", .2, tags=("医疗卫生",), industry="84", size=.3, gov=1,
      gov_owner="卫生健康局", unit="市卫生健康委员会", land=(5, 30)),
]
DEPT_TEMPLATES = {
    "市交通运输局": [
        T("基础设施", "大同—{city}高速公路改扩建工程（{county}段）", .5, two_new="交通水利等重大工程",
          tags=("交通强市",), industry="48", size=5.0, gov=1, unit="市交通运输局", land=(500, 3000)),
        T("基础设施", "{road}大同{county}段改线工程", 1, two_new="交通水利等重大工程", tags=("交通强市",),
          industry="48", size=2.2, gov=1, unit="市交通运输局", land=(200, 1500)),
        T("基础设施", "大同{county}综合客运枢纽工程", .4, two_new="交通水利等重大工程", tags=("交通强市",),
          industry="54", size=1.5, gov=1, unit="市交通运输局", land=(30, 150)),
        T("基础设施", "{county}农村公路提质改造工程", .8, two_new="交通水利等重大工程", tags=("交通强市", "乡村振兴"),
          industry="48", size=.6, gov=1, unit="市交通运输局", land=(50, 500)),
    ],
    "市水务局": [
        T("基础设施", "{r}大同段（{county}）生态修复工程", 1, two_new="交通水利等重大工程", tags=("生态治理", "水利"),
          industry="76", size=2.0, gov=1, unit="市水务局", land=(200, 2000)),
        T("基础设施", "大同市{county}城乡供水保障工程", 1, two_new="交通水利等重大工程", tags=("水利", "民生工程"),
          industry="46", size=1.5, gov=1, unit="市水务局", land=(20, 200)),
        T("基础设施", "{res}水库除险加固工程", .5, two_new="交通水利等重大工程", tags=("水利",), industry="76",
          size=1.0, gov=1, unit="市水务局", land=(0, 50)),
        T("基础设施", "大同市{county}再生水利用工程", .5, two_new="新型城镇化", tags=("水利", "节水"), industry="46",
          size=.8, gov=1, unit="市水务局", land=(10, 60)),
    ],
    "市住房和城乡建设局": [
        T("社会民生", "{yr}年大同市{county}老旧小区改造工程", 1, two_new="新型城镇化", tags=("城市更新", "民生工程"),
          industry="47", size=1.2, gov=1, unit="市住房和城乡建设局", land=(0, 0)),
        T("基础设施", "大同市城区集中供热管网改造工程（{county}段）", .7, two_new="新型城镇化",
          tags=("城市更新", "清洁取暖"), industry="44", size=1.5, gov=1, unit="市住房和城乡建设局", land=(0, 10)),
        T("社会民生", "大同市{county}城市更新项目", .6, two_new="新型城镇化", tags=("城市更新",), industry="70",
          size=2.0, gov=1, unit="市住房和城乡建设局", land=(50, 300)),
        T("社会民生", "大同市{county}保障性租赁住房项目", .5, two_new="新型城镇化", tags=("保障性住房",), industry="70",
          size=1.5, gov=1, unit="市住房和城乡建设局", land=(20, 120)),
    ],
}
# 只在储备库中谋划的大项目
BIG_PIPELINE = [
    T("工业", "{place}抽水蓄能电站项目", 1, None, None, ("新能源", "抽水蓄能"), "44", 10, 0, "抽水蓄能",
      unit="市能源局", land=(1500, 5000)),
    T("工业", "{place}风光储一体化基地项目", 1, "新技术", None, ("新能源", "储能"), "44", 8, 0, "新能源开发",
      unit="市能源局", land=(3000, 20000)),
    T("工业", "{place}煤炭清洁高效利用示范项目", .6, "新技术", None, ("节能降碳", "煤炭"), "26", 6, 0, "煤化工",
      unit="市能源局", land=(500, 2000)),
    T("基础设施", "大同至{city}城际铁路项目", .4, two_new="交通水利等重大工程", tags=("交通强市",), industry="48",
      size=10, gov=1, gov_owner="交通运输局", unit="市交通运输局", land=(2000, 8000)),
    T("工业", "{place}绿氢制储加用一体化项目", .6, "新技术", None, ("氢能", "新能源"), "44", 5, 0, "氢能开发",
      unit="市能源局", land=(300, 1500)),
]
SECTOR_TEMPLATES = {"工业": INDUSTRY, "农业": AGRICULTURE, "服务业": SERVICES, "科技创新平台": TECH,
                    "基础设施": INFRA, "社会民生": SOCIAL}

WORDS = ("御河", "文瀛", "魏都", "同泉", "北都", "云中", "平城", "凤凰", "华严", "善化", "恒山", "桑干", "古城", "御东",
         "北岳", "塞北", "长城", "雁门", "火山", "方山")
TECH_WORDS = ("氢能", "碳基新材料", "新能源", "大数据", "智能装备", "生物医药", "储能", "光伏材料")
TOWNS = ("西坪", "杜庄", "古店", "峰峪", "许堡", "党留庄", "瓜园", "吉家庄", "高山", "口泉", "西韩岭", "水泊寺", "马军营",
         "倍加造", "周士庄", "王官屯", "东井集", "南徐", "罗文皂", "堡子湾", "东小村", "南村", "落里湾", "花园屯")
RIVERS = ("御河", "桑干河", "十里河", "口泉河", "南洋河", "壶流河", "唐河", "浑河", "饮马河", "淤泥河")
RESERVOIRS = ("册田", "东榆林", "赵家窑", "孤山", "镇子梁", "恒山", "文瀛湖")
CITIES = ("张家口", "呼和浩特", "朔州", "忻州", "乌兰察布")
ROADS = ("G208", "G109", "G512", "S203", "S301", "S342")
COMPANY_WORDS = ("智源", "恒泰", "华盛", "云岗", "御东", "北岳", "桑干", "鼎鑫", "中晟", "瑞丰", "宏达", "晋阳", "华新",
                 "金鹏", "天成", "远景", "同富", "昌盛", "凤凰", "平旺", "古城", "新元", "泰和", "国瑞", "中能", "晋北",
                 "塞北", "同创", "云中", "御河", "文瀛", "华远", "和顺", "兴安", "佳盛", "德润", "嘉禾", "海纳", "博远",
                 "永泰", "晟源", "三晋", "龙腾", "广源", "汇通", "宏昌", "聚力", "信达", "万通", "安泰")

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤温"
GIVEN = "伟芳军明涛斌强磊洋勇杰峰鹏辉敏静丽华刚平文志宏振海永春晓立新国俊凯瑞泽宇博林岩晨亮建荣红霞玉兰英桂秀云莉娟婷雪琳慧卫东利民广生福庆昌德旭鑫彬浩然哲睿晋"

CITY_LEADERS = [  # (职务, 联系的行业)
    ("市长", ("工业", "基础设施", "服务业", "社会民生", "农业", "科技创新平台")),
    ("常务副市长", ("工业", "基础设施", "服务业")),
    ("副市长", ("工业", "科技创新平台")),
    ("副市长", ("基础设施", "社会民生")),
    ("副市长", ("农业", "社会民生")),
    ("副市长", ("服务业", "社会民生")),
    ("副市长", ("工业", "基础设施")),
    ("市委常委", ("服务业", "工业")),
    ("市委常委", ("科技创新平台", "工业", "社会民生")),
    ("市委常委", ("农业", "服务业", "基础设施")),
]
DEPT_LEADERS = [("市交通运输局", "市交通运输局局长"), ("市水务局", "市水务局局长"),
                ("市住房和城乡建设局", "市住房和城乡建设局局长"), ("市发展和改革委员会", "市发展和改革委员会主任"),
                ("市工业和信息化局", "市工业和信息化局局长")]

PREP_STAGES = ("项目谋划阶段", "正在编制可行性研究报告", "已完成可研编制", "已完成立项备案", "用地预审办理中",
               "环评手续办理中", "初步设计编制中", "施工图设计中", "已具备开工条件")

# 问题类型 → （问题描述, 责任单位, 解决措施）；{county} 为项目所在县区
PROBLEM_CASES = {
    "用地": (("项目用地指标尚未落实，影响土地报批", "市自然资源局", "优先保障重点项目用地指标"),
           ("项目用地涉及永久基本农田调整，需协调办理", "市自然资源局", "协调调整国土空间规划，保障项目用地"),
           ("项目用地组卷报批进度缓慢", "市自然资源局", "由市自然资源局牵头，加快用地组卷报批"),
           ("部分地块土地性质与规划不符，需调整规划", "市自然资源局", "加快控制性详细规划调整"),
           ("土地出让手续尚未办结，无法办理不动产权证", "{county}人民政府", "属地政府加快土地出让进度")),
    "资金": (("项目资本金不足，银行贷款尚未审批", "市发展和改革委员会", "组织银企对接会，协调金融机构放贷"),
           ("专项债券资金未及时拨付到位", "市财政局", "协调市财政局加快专项债资金拨付"),
           ("中央预算内资金下达滞后，影响工程进度", "市发展和改革委员会", "积极对接省发展改革委，加快资金下达"),
           ("企业融资困难，需协调金融机构支持", "市发展和改革委员会", "组织银企对接会，协调金融机构放贷"),
           ("工程款拨付滞后，施工单位垫资压力大", "{county}人民政府", "属地政府统筹资金，按进度拨付工程款")),
    "审批": (("环评批复尚未取得，影响开工", "市生态环境局", "提前介入指导，加快环评审批"),
           ("施工许可证办理进度滞后", "市行政审批服务管理局", "开辟绿色通道，实行并联审批"),
           ("节能审查手续办理中，需省级部门审批", "市发展和改革委员会", "协调省级部门加快审批"),
           ("规划许可办理需补充材料", "市自然资源局", "指导企业补齐材料，实行容缺受理"),
           ("项目核准文件尚未批复", "市行政审批服务管理局", "开辟绿色通道，实行并联审批")),
    "水电气暖接入": (("项目用电接入工程未完成，影响设备调试", "国网大同供电公司", "协调供电公司优先安排接入工程"),
               ("供水管网接入需协调", "市水务局", "协调水务部门加快管网接入"),
               ("天然气管道接入方案未确定", "市住房和城乡建设局", "协调燃气公司制定接入方案"),
               ("供热管网配套尚未建设", "市住房和城乡建设局", "协调热力公司同步建设配套管网"),
               ("专线供电接入工期较长", "国网大同供电公司", "协调供电公司优化接入方案，压缩工期")),
    "征地拆迁": (("部分地块征地补偿未谈妥，群众阻工", "{county}人民政府", "属地政府牵头做好群众工作"),
             ("拆迁安置房源不足，拆迁进度缓慢", "{county}人民政府", "加快安置房建设，落实补偿资金"),
             ("线路涉及坟地迁移，需属地协调", "{county}人民政府", "属地乡镇做好迁坟协调工作"),
             ("地上附着物补偿标准存在分歧", "{county}人民政府", "依法依规推进征收工作"),
             ("涉及村集体土地征收，需召开村民代表大会", "{county}人民政府", "指导村集体依法召开村民代表大会")),
    "其他": (("施工场地周边道路狭窄，大型设备运输困难", "市交通运输局", "协调交通管理部门办理大件运输手续"),
           ("受重污染天气管控影响，部分时段停工", "市生态环境局", "落实差异化管控措施，保障重点项目施工"),
           ("设计变更导致工期延误", "市住房和城乡建设局", "加快设计变更审查，优化施工组织"),
           ("主要设备到货延迟", "市工业和信息化局", "督促设备供应商按期供货"),
           ("施工队伍组织不足，劳动力短缺", "{county}人民政府", "优化施工组织，增加施工力量")),
}
# 城区（平城区）不安排的项目类型
RURAL_ONLY = ("光伏发电", "风电项目", "独立储能", "抽水蓄能", "风光储", "高标准农田", "养殖", "种植基地", "牧场", "煤矿",
              "水库", "煤炭清洁", "绿氢", "乡村旅游", "设施农业", "温泉")
# 形象进度：工程类别 → 四个阶段（<15%、<45%、<75%、<95%）的说法，{p} 为累计完成百分比
PROGRESS_WORDS = {
    "光伏": (("场地平整及支架基础施工",), ("支架安装完成{p}%",), ("光伏组件安装完成{p}%",), ("升压站设备调试", "并网调试")),
    "风电": (("风机基础施工",), ("风机基础完成，吊装准备",), ("风机吊装完成{p}%",), ("集电线路施工，准备并网",)),
    "路": (("施工便道及路基清表",), ("路基工程完成{p}%",), ("路面工程施工中", "桥涵工程施工中"), ("附属设施及交安工程施工",)),
    "管网": (("管材进场，沟槽开挖",), ("管网铺设完成{p}%",), ("管网铺设基本完成，站房施工",), ("管网试压及附属工程施工",)),
    "水": (("围堰及清淤施工",), ("堤防工程完成{p}%",), ("主体工程基本完成，生态护坡施工",), ("附属工程及绿化施工",)),
    "小区": (("入户摸底及施工准备",), ("外墙保温及管网改造，完成{p}%",), ("屋面防水及道路改造施工",), ("绿化及配套设施施工",)),
    "农": (("土地平整",), ("灌溉设施及田间道路建设，完成{p}%",), ("设施主体基本完成",), ("配套设施完善",)),
    "厂": (("土方开挖及基础施工", "桩基施工中"), ("主体结构施工中，完成{p}%", "厂房钢结构安装，完成{p}%"),
          ("厂房主体完工，设备采购中", "主体结构封顶，设备基础施工"), ("设备安装调试", "设备安装中，完成{p}%")),
    "楼": (("土方开挖及基础施工", "桩基施工中"), ("主体结构施工中，完成{p}%",),
          ("主体结构封顶，二次结构施工中", "主体完工，室内外装修施工中"), ("室内外装修施工中", "附属工程施工中")),
}
PROGRESS_KEYS = (("光伏", "光伏"), ("风电", "风电"), ("风光储", "光伏"), ("公路", "路"), ("道路", "路"), ("高速", "路"),
                 ("铁路", "路"), ("管网", "管网"), ("供水", "管网"), ("供热", "管网"), ("燃气", "管网"), ("雨污", "管网"),
                 ("再生水", "管网"), ("输变电", "管网"), ("河道", "水"), ("水库", "水"), ("生态修复", "水"),
                 ("老旧小区", "小区"), ("城中村", "小区"), ("城市更新", "小区"), ("农田", "农"), ("种植", "农"),
                 ("大棚", "农"), ("养殖", "农"), ("牧场", "农"))


# ---------------------------------------------------------------- 报送单位及其填报习惯

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


# ---------------------------------------------------------------- 项目盘子的数据结构

@dataclass(slots=True)
class Entry:
    """项目在某一年度的年度计划及逐月完成情况（金额为占总投资的比例，标定后另存万元）。"""

    year: int
    library: str                 # new_start | continuing
    plan_frac: float
    ytd_frac: list[float]        # 1—12月末的年累计（比例）
    listed_from: int             # 从哪个月起列入年度项目（月序号）
    ps: int                      # 当年执行的计划开工、计划竣工（月序号）
    pe: int
    started: int | None          # 实际开工月（截至该年）
    done: int | None             # 竣工投产月
    stall: tuple[int, int] | None
    factor: float
    cum_prev_frac: float
    key: str | None = None
    plan_wan: float = 0.0
    ytd_wan: list[float] = field(default_factory=list)
    cum_prev_wan: float = 0.0


@dataclass(slots=True)
class Node:
    seq: int
    name: str
    planned: dt.date
    actual: dt.date | None


@dataclass(slots=True)
class Project:
    pid: int
    cohort: int | None           # 计划（首次）列入新开工的年份；None 表示只在储备库
    sender: str
    county: str
    zone: str | None
    tpl: Tpl
    sector: str
    raw: float                   # 标定前的规模
    promo: bool = False
    signed: dt.date | None = None
    reserve_from: int | None = None
    reserve_until: int | None = None   # 不含；None 表示一直在库
    annual_from: int | None = None
    ps: int = 0
    pe: int = 0
    start_delay: int = 0
    fail_first: bool = False
    code: str = ""
    name: str = ""
    owner: str = ""
    invest_kind: str = "enterprise"
    six_new: str | None = None
    two_new: str | None = None
    funding: str = ""
    land: float | None = None
    tags: str = ""
    total: float = 0.0
    est_total: float = 0.0
    est_factor: float = 1.0
    entries: dict[int, Entry] = field(default_factory=dict)
    crossings: dict[float, int] = field(default_factory=dict)
    started: int | None = None
    done: int | None = None
    start_day: int = 1
    done_day: int = 1
    lon: float | None = None
    lat: float | None = None
    leader: tuple[str, str] | None = None
    leader_blank: bool = False
    resp_unit: str = ""
    resp_person: str = ""
    nodes: list[Node] = field(default_factory=list)
    decimals: int = 2
    prep_offset: int = 0
    remark: str = ""


@dataclass(slots=True)
class Reopen:
    """企业不满意（或未评价）的问题次月重新办理：新的完成时限，之后满意销号或仍在办理。"""

    reopened: dt.date
    deadline: dt.date
    closed: dt.date | None
    satisfaction: str | None
    escalate: bool


@dataclass(slots=True)
class Problem:
    pid: int
    code_admin: str
    ptype: str
    text: str
    found: dt.date
    assigned: dt.date
    working: dt.date
    deadline: dt.date
    closed: dt.date | None
    escalate: bool
    vanish_after: int | None     # 最后出现在哪个月（未办结即消失）
    unit: str | None
    leader: str | None
    person: str | None
    solution: str | None
    satisfaction: str | None
    pid_str: str = ""
    reopens: list[Reopen] = field(default_factory=list)


@dataclass
class Programme:
    seed: int
    scale: float
    start: int
    end: int
    projects: list[Project]
    senders: list[Sender]
    leaders: list[dict]
    problems: list[Problem]
    year_entries: dict[int, list[Project]]
    reserve_pool: list[Project]
    targets: dict[int, float]
    blank_leader_codes: list[str]


# ---------------------------------------------------------------- 小工具

def _mi(year: int, month: int) -> int:
    return year * 12 + month - 1


def _ym(mi: int) -> tuple[int, int]:
    return mi // 12, mi % 12 + 1


def _period(mi: int) -> str:
    y, m = _ym(mi)
    return f"{y}-{m:02d}"


def _parse_period(text: str) -> int:
    s = str(text).strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "")
    y, m = s.split("-")[:2]
    return _mi(int(y), int(m))


def _month_end(mi: int) -> dt.date:
    y, m = _ym(mi + 1)
    return dt.date(y, m, 1) - dt.timedelta(days=1)


def _date_in(mi: int, day: int) -> dt.date:
    y, m = _ym(mi)
    return dt.date(y, m, min(day, 28))


def _mi_of(d: dt.date) -> int:
    return _mi(d.year, d.month)


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _nice(x: float) -> float:
    """总投资、年度计划等取整到习惯的位数。"""
    if x < 1000:
        step = 10
    elif x < 10000:
        step = 50
    elif x < 100000:
        step = 100
    else:
        step = 1000
    return float(max(step, round(x / step) * step))


def _person(rng: random.Random, used: set | None = None) -> str:
    for _ in range(100):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if used is None or name not in used:
            if used is not None:
                used.add(name)
            return name
    return name


def _cn(n: int) -> str:
    """1—19 的中文数字（第七中学）。"""
    digits = "一二三四五六七八九"
    if 1 <= n <= 9:
        return digits[n - 1]
    if 10 <= n <= 19:
        return "十" + (digits[n - 11] if n > 10 else "")
    return str(n)


def _phone(rng: random.Random) -> str:
    return f"0352-{rng.randint(2, 7)}{rng.randint(0, 999999):06d}"


class _Season:
    """季节权重的前缀和，用于按月分摊计划。"""

    def __init__(self, base: int, n: int):
        self.base = base
        self.pre = [0.0]
        for i in range(n):
            self.pre.append(self.pre[-1] + SEASON[(base + i) % 12])

    def w(self, a: int, b: int) -> float:
        if b < a:
            return 0.0
        return self.pre[b - self.base + 1] - self.pre[a - self.base]

    def sched(self, ps: int, pe: int, upto: int) -> float:
        """按计划，截至 upto 月末应完成的比例。"""
        if upto < ps:
            return 0.0
        if upto >= pe:
            return 1.0
        return self.w(ps, upto) / self.w(ps, pe)

    def month_reaching(self, ps: int, pe: int, q: float) -> int:
        total = self.w(ps, pe)
        for mi in range(ps, pe + 1):
            if self.w(ps, mi) >= q * total - 1e-12:
                return mi
        return pe


# ---------------------------------------------------------------- 构造项目盘子

UNIT_WAN = 8000.0          # 规模 1.0 对应的总投资（万元），标定前
RESERVE_INFLOW_W = {0: .30, 1: .12, 2: .10, 3: .06, 4: .05, 5: .05, 6: .05, 7: .05, 8: .05, 9: .05, 10: .06, 11: .06}
PROMO_SECTOR_WEIGHT = {"工业": .50, "服务业": .28, "农业": .15, "科技创新平台": .07}
CROSS_QS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.92, 0.95)


def _pick_location(rng: random.Random, allow_dept: bool = True) -> tuple[str, str, str | None]:
    r = rng.random()
    if allow_dept and r < DEPT_SHARE:
        dept = _weighted(rng, DEPT_WEIGHT)
        return dept, _weighted(rng, DEPT_COUNTY_WEIGHT[dept]), None
    if r < DEPT_SHARE + ZONE_SHARE:
        zone = _weighted(rng, ZONE_WEIGHT)
        return divisions.ZONE_NAME[zone], divisions.ZONE_HOST[zone], zone
    county = _weighted(rng, COUNTY_WEIGHT)
    return divisions.COUNTY_NAME[county], county, None


def _pick_template(rng: random.Random, sender: str, zone: str | None, promo: bool, big: bool) -> Tpl:
    if sender in DEPT_TEMPLATES:
        tpls = DEPT_TEMPLATES[sender]
    elif big:
        tpls = [t for t in BIG_PIPELINE if not (promo and t.gov)]
    else:
        weights = PROMO_SECTOR_WEIGHT if promo else (ZONE_SECTOR_WEIGHT if zone else SECTOR_WEIGHT)
        tpls = SECTOR_TEMPLATES[_weighted(rng, weights)]
        if promo:
            tpls = [t for t in tpls if t.gov < 1] or tpls
    return rng.choices(tpls, weights=[t.weight for t in tpls])[0]


def _new_project(rng: random.Random, pid: int, cohort: int | None, promo: bool, big: bool = False,
                 size_mult: float = 1.0) -> Project:
    sender, county, zone = _pick_location(rng, allow_dept=not promo)
    for _ in range(30):
        tpl = _pick_template(rng, sender, zone, promo, big)
        if county != "140213" or not any(k in tpl.pattern for k in RURAL_ONLY):
            break
    growth = PLAN_GROWTH ** ((cohort or 2025) - 2025)
    raw = min(math.exp(rng.gauss(0.0, 1.0)), 12.0) * SECTOR_SIZE[tpl.sector] * tpl.size * growth * size_mult
    p = Project(pid=pid, cohort=cohort, sender=sender, county=county, zone=zone, tpl=tpl, sector=tpl.sector, raw=raw,
                promo=promo)
    p.est_factor = rng.uniform(0.85, 1.25)
    p.decimals = STYLES[sender].decimals
    p.prep_offset = rng.randint(0, 3)
    return p


def _schedule(rng: random.Random, p: Project, y: int, kind: str) -> None:
    """计划开工、计划竣工、进入储备库和列入年度项目的月份。"""
    y0 = y * 12
    if kind == "promo_same":
        sm = rng.choices(range(7), weights=(.12, .14, .18, .18, .16, .12, .10))[0]
        p.signed = _date_in(y0 + sm, rng.randint(1, 28))
        p.reserve_from = y0 + sm
        p.annual_from = y0 + sm + rng.choice((1, 1, 2))
        p.ps = min(p.annual_from + rng.choice((0, 1, 1, 2)), y0 + 9)
    else:
        if kind == "promo_prev":
            sm = rng.randrange(12)
            p.signed = _date_in(y0 - 12 + sm, rng.randint(1, 28))
            p.reserve_from = y0 - 12 + sm
        else:
            back = rng.choices((1, 2, 3, 4), weights=(.45, .33, .16, .06))[0]
            p.reserve_from = y0 - back * 12 + _weighted(rng, RESERVE_INFLOW_W)
        p.annual_from = y0
        p.ps = y0 + _weighted(rng, START_MONTH_W)
    rel = p.raw / PLAN_GROWTH ** (y - 2025) / SECTOR_SIZE[p.sector]
    if rel < 0.6:
        probs = (.85, .13, .02, .0)
    elif rel < 2.0:
        probs = (.64, .29, .06, .01)
    else:
        probs = (.36, .42, .17, .05)
    d = rng.choices((1, 2, 3, 4), weights=probs)[0]
    if d == 1:
        lo = p.ps % 12 + 3
        if lo > 11:
            d = 2
        else:
            p.pe = y0 + rng.randint(lo, 11)
    if d > 1:
        p.pe = (y + d - 1) * 12 + _weighted(rng, END_MONTH_W)
    r = rng.random()
    p.start_delay = 0 if r < .72 else (rng.randint(1, 2) if r < .93 else rng.randint(3, 5))
    p.fail_first = rng.random() < (0.035 if rel < 2.0 else 0.01)  # 大项目很少整年开不了工
    p.reserve_until = p.annual_from
    p.start_day = rng.randint(1, 28)
    p.done_day = rng.randint(1, 28)


def _simulate(p: Project, season: _Season, last_year: int, cf: dict, rng: random.Random) -> None:
    """逐月模拟施工：季节曲线 × 县区系数 × 项目系数，停工、推迟开工、跨年续建、竣工投产。"""
    ps, pe, delay, fail = p.ps, p.pe, p.start_delay, p.fail_first
    adj = DEPT_FACTOR.get(p.sender, 1.02 if p.zone else 1.0)
    cum, started, done = 0.0, None, None
    y = ps // 12
    while y <= last_year and done is None:
        y0, y1 = y * 12, y * 12 + 11
        if pe < y0:  # 上年未完工：重新安排，年内竣工
            pe = y0 + rng.randint(4, 8)
        s_prev = season.sched(ps, pe, y0 - 1)
        s_now = season.sched(ps, pe, y1)
        share = 1.0 if s_prev >= 1 - 1e-12 else (s_now - s_prev) / (1 - s_prev)
        plan = (1 - cum) * share
        library = "continuing" if started is not None else "new_start"
        listed_from = p.annual_from if y0 <= p.annual_from <= y1 else y0
        factor = cf[(p.county, y)] * adj * min(1.4, max(0.55, rng.gauss(1.09, 0.12)))
        if started is None and (fail or ps + delay > y1):
            # 当年未能开工：年内一直是新开工、零进度，次年重新列入
            p.entries[y] = Entry(y, library, plan, [0.0] * 12, listed_from, ps, pe, None, None, None, 0.0, cum)
            fail = False
            ps, pe = ps + 12, pe + 12
            delay = rng.choice((0, 0, 1, 2))
            y += 1
            continue
        stall = None
        if rng.random() < 0.05:
            s0 = y0 + rng.randint(3, 8)
            stall = (s0, min(y1, s0 + rng.randint(1, 4)))
        a = ps + delay if started is None else None
        w_year = season.w(max(ps, y0), min(pe, y1)) or season.w(y0, y1)
        final = pe <= y1
        ytd, ytds = 0.0, []
        for mi in range(y0, y1 + 1):
            inc = 0.0
            if done is None:
                if started is None and a is not None and mi >= a:
                    started = mi
                if started is not None and not (stall and stall[0] <= mi <= stall[1]):
                    inc = plan * SEASON[mi % 12] / w_year * factor
                    if cum + inc >= 1 - 1e-9 or (final and cum + inc >= 0.985):
                        inc = 1 - cum
                        done = mi
            cum += inc
            ytd += inc
            ytds.append(ytd)
            for q in CROSS_QS:
                if q not in p.crossings and cum >= q - 1e-9:
                    p.crossings[q] = mi
        p.entries[y] = Entry(y, library, plan, ytds, listed_from, ps, pe, started, done, stall, factor,
                             cum - ytd)
        y += 1
    p.started, p.done = started, done


def _leaders(rng: random.Random, used: set) -> list[dict]:
    out = []
    for title, sectors in CITY_LEADERS:
        out.append(dict(name=_person(rng, used), title=title, level="city", sectors=sectors, unit=None, load=0))
    for code, name in divisions.COUNTIES:
        title = f"{name}{'区长' if name.endswith('区') else '县长'}"
        out.append(dict(name=_person(rng, used), title=title, level="county", sectors=(), unit=code, load=0))
    for code, name, _ in divisions.ZONES:
        out.append(dict(name=_person(rng, used), title=f"{name}管委会主任", level="zone", sectors=(), unit=code, load=0))
    for unit, title in DEPT_LEADERS:
        out.append(dict(name=_person(rng, used), title=title, level="dept", sectors=(), unit=unit, load=0))
    return out


def _assign_leader(rng: random.Random, p: Project, level: str, leaders: list[dict]) -> dict:
    if level in vocab.PROVINCIAL_LEVELS:
        pool = [ld for ld in leaders if ld["level"] == "city" and p.sector in ld["sectors"]]
        if level == "province_managed":
            pool = [ld for ld in pool if ld["title"] in ("市长", "常务副市长", "副市长")] or pool
        else:
            pool = [ld for ld in pool if ld["title"] != "市长"] or pool
    elif p.sender in DEPT_TEMPLATES:
        pool = [ld for ld in leaders if ld["unit"] == p.sender]
    elif p.zone:
        pool = [ld for ld in leaders if ld["unit"] == p.zone]
    else:
        r = rng.random()
        if p.sector == "工业" and r < 0.2:
            pool = [ld for ld in leaders if ld["unit"] == "市工业和信息化局"]
        elif r < 0.1:
            pool = [ld for ld in leaders if ld["unit"] == "市发展和改革委员会"]
        else:
            pool = [ld for ld in leaders if ld["unit"] == p.county]
    best = min(ld["load"] for ld in pool)
    ld = rng.choice([x for x in pool if x["load"] <= best + 1])
    ld["load"] += 1
    return ld


def _attributes(rng: random.Random, p: Project, used_codes: set, used_names: dict) -> None:
    """名称、建设单位、项目代码、投资类型、资金来源、用地、标签。"""
    tpl = p.tpl
    county_name = divisions.COUNTY_NAME[p.county]
    year = (p.reserve_from // 12) if p.reserve_from is not None else (p.cohort or 2025) - 1
    gov = (not p.promo) and rng.random() < tpl.gov
    p.invest_kind = "government" if gov else "enterprise"
    word = rng.choice(COMPANY_WORDS)
    if p.zone:
        zname = divisions.ZONE_NAME[p.zone]
        place = rng.choice((zname, zname, county_name))
    elif rng.random() < 0.3:
        place = "大同市" + county_name
    elif rng.random() < 0.2 and not gov and not tpl.pattern.startswith("{yr}"):
        place = "大同" + word
    else:
        place = county_name
    for attempt in range(4):
        n = rng.choice(tpl.n)
        a, b = rng.sample(TOWNS, 2)
        name = tpl.pattern.format(place=place, county=county_name, n=n, m=2 * n, w=rng.choice(WORDS),
                                  tech=rng.choice(TECH_WORDS), a=a, b=b, r=rng.choice(RIVERS),
                                  res=rng.choice(RESERVOIRS), kv=rng.choice((110, 220)), city=rng.choice(CITIES),
                                  road=rng.choice(ROADS), yr=p.cohort or year + 1,
                                  cn=_cn(n))
        if name not in used_names:
            break
        if "{place}" in tpl.pattern and place.endswith(("区", "县")):
            # 同类项目较多时，名称中带上企业字号或所在乡镇、片区
            if not gov:
                place = place + rng.choice(COMPANY_WORDS)
            else:
                place = place + rng.choice(TOWNS) + ("片区" if ("小区" in name or "城中村" in name) else "镇")
    base, k = name, 0
    while name in used_names:
        k += 1
        phase = f"{'二三四五六七八九十'[min(k, 9) - 1]}期" if k < 10 else f"{k + 1}期"
        if base.endswith("）"):
            cut = base.rindex("（")
            name = f"{base[:cut]}{phase}{base[cut:]}"
        else:
            tail = "工程" if base.endswith("工程") else ("项目" if base.endswith("项目") else "")
            name = f"{base.removesuffix(tail)}（{phase}）{tail}"
    used_names[name] = 1
    p.name = name
    # 建设单位
    if gov:
        if p.sender in DEPT_TEMPLATES:
            p.owner = rng.choice({"市交通运输局": ("大同市交通运输局", "大同市公路事业发展中心", "大同市交通投资集团有限公司"),
                                  "市水务局": ("大同市水务局", "大同市水利工程建设中心"),
                                  "市住房和城乡建设局": ("大同市住房和城乡建设局", "大同市城市建设投资集团有限公司",
                                                      "大同市城市更新发展有限公司")}[p.sender])
        elif p.zone:
            p.owner = f"{divisions.ZONE_NAME[p.zone]}管理委员会"
        else:
            p.owner = f"{county_name}{tpl.gov_owner}"
    elif "输变电" in tpl.pattern:
        p.owner = "国网山西省电力公司大同供电公司"
    else:
        prefix = rng.choices(("大同", "山西", "大同市", county_name), weights=(45, 20, 15, 20))[0]
        suffix = rng.choices(("有限公司", "股份有限公司", "集团有限公司"), weights=(85, 8, 7))[0]
        p.owner = f"{prefix}{word}{tpl.owner}{suffix}"
    # 项目代码：年份-行政区划代码-行业代码-类型-流水号
    admin = "140200" if p.sender in DEPT_TEMPLATES else (
        p.zone if p.zone == "140271" else p.county)
    if gov:
        ptype = "01"
    elif tpl.industry == "44":
        ptype = rng.choice(("02", "03"))
    else:
        ptype = "04" if rng.random() < 0.04 else "03"
    while True:
        code = f"{year}-{admin}-{tpl.industry}-{ptype}-{rng.randint(1, 999999):06d}"
        if code not in used_codes:
            used_codes.add(code)
            break
    p.code = code
    p.six_new = tpl.six_new if p.sector == "工业" else None
    p.two_new = tpl.two_new
    if gov:
        src = ["专项债"] if rng.random() < 0.6 else []
        if rng.random() < 0.45 or not src:
            src.append("中央预算内资金")
        if rng.random() < 0.2:
            src.append("银行贷款")
    else:
        src = ["企业自筹"]
        if rng.random() < 0.5:
            src.append("银行贷款")
        if p.six_new and rng.random() < 0.35:
            src.append("产业投资基金")
    p.funding = "、".join(src)
    lo, hi = tpl.land
    p.land = None if hi == 0 or rng.random() < 0.05 else round(rng.uniform(lo, hi), 1)
    tags = list(tpl.tags)
    if p.zone:
        tags.append("园区项目")
    if p.promo:
        tags.append("招商引资")
    p.tags = ";".join(tags)


def _zone_centres() -> dict[str, tuple[float, float]]:
    out = {}
    for code, _name, host in divisions.ZONES:
        rng = random.Random(f"开发区中心|{code}")
        out[code] = _random_point(rng, host, None, 0.0)
    return out


_POLY_CACHE: dict = {}


def _polygons():
    if not _POLY_CACHE:
        polys = boundary.county_polygons()
        for code, rings in polys.items():
            xs = [x for r in rings for x, _ in r]
            ys = [y for r in rings for _, y in r]
            _POLY_CACHE[code] = (rings, (min(xs), min(ys), max(xs), max(ys)))
    return _POLY_CACHE


def _in_rings(lon: float, lat: float, rings) -> bool:
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def point_county(lon: float, lat: float) -> str | None:
    """点所在的县区代码（仅当恰好落在一个县区内时）。"""
    found = [code for code, (rings, (x0, y0, x1, y1)) in _polygons().items()
             if x0 <= lon <= x1 and y0 <= lat <= y1 and _in_rings(lon, lat, rings)]
    return found[0] if len(found) == 1 else None


def _random_point(rng: random.Random, county: str, near: tuple[float, float] | None, spread: float):
    """县区多边形内的随机点（拒绝采样），可围绕某一点聚集；保留6位小数后仍严格在该县区内。"""
    rings, (x0, y0, x1, y1) = _polygons()[county]
    for attempt in range(2000):
        if near and attempt < 1500:
            lon = rng.gauss(near[0], spread)
            lat = rng.gauss(near[1], spread * 0.8)
        else:
            lon = rng.uniform(x0, x1)
            lat = rng.uniform(y0, y1)
        lon, lat = round(lon, 6), round(lat, 6)
        if x0 <= lon <= x1 and y0 <= lat <= y1 and _in_rings(lon, lat, rings) and point_county(lon, lat) == county:
            return lon, lat
    raise RuntimeError(f"无法在县区{county}内取点")


def _nodes(rng: random.Random, p: Project, e: Entry, season: _Season) -> list[Node]:
    """挂图作战节点：按计划竣工时间倒排，实际完成时间来自施工模拟。"""
    first = p.entries[min(p.entries)]
    ps, pe = first.ps, max(e.pe, first.ps + 2)
    gov = p.invest_kind == "government"
    pre = [("立项批复" if gov else "立项备案", -7), ("用地预审", -5),
           ("初步设计批复" if gov else "环评批复", -4), ("规划许可", -3)]
    pre = sorted(rng.sample(pre, rng.randint(1, 3)), key=lambda x: x[1]) + [("施工许可", -1)]
    if p.sector == "工业":
        mids = [("厂房主体完工", .5), ("设备安装", .8), ("联动调试", .95)]
    elif p.sector == "基础设施":
        mids = [("基础工程完成", .3), ("主体工程完工", .7), ("附属工程完成", .92)]
    else:
        mids = [("主体完工", .6), ("装饰装修", .85)]
    mids = sorted(rng.sample(mids, rng.randint(1, min(2, len(mids)))), key=lambda x: x[1])
    lateness = (p.started - ps) * 30 if p.started is not None else 400
    nodes: list[Node] = []
    for i, (name, off) in enumerate(pre):
        planned = _date_in(ps + off, rng.choice((10, 15, 20, 25, 28)))
        if p.started is None and i >= len(pre) - 2:
            actual = None
        else:
            actual = planned + dt.timedelta(days=rng.randint(-15, 10) + int(lateness * (i + 1) / (len(pre) + 1)))
            if p.started is not None:
                actual = min(actual, _date_in(p.started, p.start_day) - dt.timedelta(days=len(pre) - i))
        nodes.append(Node(0, name, planned, actual))
    nodes.append(Node(0, "开工建设", _date_in(ps, p.start_day),
                      _date_in(p.started, p.start_day) if p.started is not None else None))
    for name, q in mids:
        planned = _date_in(season.month_reaching(ps, pe, q), rng.choice((15, 20, 28)))
        m = p.crossings.get(q)
        nodes.append(Node(0, name, planned, _date_in(m, rng.randint(1, 28)) if m is not None else None))
    nodes.append(Node(0, "竣工验收" if gov else "竣工投产", _date_in(pe, 28),
                      _date_in(p.done, p.done_day) if p.done is not None else None))
    for i, nd in enumerate(nodes, 1):
        nd.seq = i
    return nodes


def build_programme(seed: int = 2021, scale: float = 1.0, start: str = "2024-01", end: str = "2026-10") -> Programme:
    """构造完整的项目盘子（不写文件）。"""
    start_mi, end_mi = _parse_period(start), _parse_period(end)
    if end_mi < start_mi:
        raise ValueError(f"结束月份 {end} 早于开始月份 {start}")
    if not scale > 0:
        raise ValueError("scale 必须大于 0")
    y_start, y_end = start_mi // 12, end_mi // 12
    first_cohort, last_cohort = y_start - 3, y_end + 3
    season = _Season((first_cohort - 5) * 12, (last_cohort - first_cohort + 16) * 12)
    rng = random.Random(f"{seed}|盘子")
    rng_sim = random.Random(f"{seed}|施工")
    rng_attr = random.Random(f"{seed}|属性")
    rng_key = random.Random(f"{seed}|重点")
    rng_geo = random.Random(f"{seed}|坐标")
    rng_prob = random.Random(f"{seed}|问题")
    rng_reopen = random.Random(f"{seed}|问题复核")

    projects: list[Project] = []

    def n_of(x: float) -> int:
        return max(0, round(x * scale * rng.uniform(0.95, 1.05)))

    # 各年新开工项目（含招商引资签约项目）
    for y in range(first_cohort, last_cohort + 1):
        n_total = max(1, n_of(NEW_STARTS_PER_YEAR))
        n_same = min(n_total, round(PROMO_SAME_YEAR * scale * rng.uniform(0.9, 1.1)))
        n_prev = min(n_total - n_same, round(PROMO_NEXT_YEAR * scale * rng.uniform(0.9, 1.1)))
        for i in range(n_total):
            kind = "promo_same" if i < n_same else ("promo_prev" if i < n_same + n_prev else "plain")
            p = _new_project(rng, len(projects), y, promo=kind != "plain")
            _schedule(rng, p, y, kind)
            projects.append(p)
    # 只在储备库中的项目：谋划中、调出储备库或远期开工
    for y in range(first_cohort, y_end + 1):
        n_pipe = n_of(PIPELINE_PER_YEAR)
        n_promo = round(PIPELINE_PROMO * scale)
        for i in range(n_pipe):
            promo = i < n_promo
            p = _new_project(rng, len(projects), None, promo=promo, big=rng.random() < 0.05, size_mult=2.0)
            p.reserve_from = y * 12 + _weighted(rng, RESERVE_INFLOW_W)
            p.reserve_until = p.reserve_from + rng.randint(10, 48)
            p.raw *= PLAN_GROWTH ** (y - 2025)
            if promo:
                p.signed = _date_in(p.reserve_from, rng.randint(1, 28))
            p.ps = (y + rng.randint(1, 3)) * 12 + _weighted(rng, START_MONTH_W)
            p.pe = p.ps + rng.randint(12, 36)
            projects.append(p)

    # 施工模拟
    cf = {(c, y): COUNTY_FACTOR[c] * (1 + rng_sim.gauss(0, 0.025))
          for y in range(first_cohort, y_end + 2) for c in COUNTY_FACTOR}
    built = [p for p in projects if p.cohort is not None and p.cohort <= y_end]
    for p in built:
        _simulate(p, season, y_end, cf, rng_sim)

    # 标定：各年年度计划投资之和 ≈ 目标
    targets = {y: PLAN_2025_WAN * PLAN_GROWTH ** (y - 2025) * scale for y in range(first_cohort, y_end + 1)}
    contrib: dict[tuple[int, int], float] = {}
    for p in built:
        for y, e in p.entries.items():
            contrib[(p.cohort, y)] = contrib.get((p.cohort, y), 0.0) + p.raw * e.plan_frac * UNIT_WAN
    window = range(y_start, y_end + 1)
    raw_sum = {y: sum(v for (c, yy), v in contrib.items() if yy == y) for y in window}
    k0 = sum(targets[y] / raw_sum[y] for y in window if raw_sum[y] > 0) / max(1, sum(raw_sum[y] > 0 for y in window))
    k = {c: k0 for c in range(first_cohort, last_cohort + 1)}
    for y in window:
        known = sum(v * k[c] for (c, yy), v in contrib.items() if yy == y and c < y)
        new = contrib.get((y, y), 0.0)
        if new > 0:
            k[y] = min(1.4 * k0, max(0.7 * k0, (targets[y] - known) / new))
    for p in projects:
        factor = k[p.cohort] if p.cohort is not None else k0
        p.total = _nice(min(p.raw * factor * UNIT_WAN, 1_200_000.0))
        p.est_total = _nice(p.total * p.est_factor)
    # 年度计划、逐月年累计（万元，按各单位的小数位取整）
    for p in built:
        cum_prev = 0.0
        for y in sorted(p.entries):
            e = p.entries[y]
            dec = p.decimals
            remaining = round(p.total - cum_prev, dec)
            plan = p.total * e.plan_frac
            e.plan_wan = round(remaining if e.plan_frac >= (1 - e.cum_prev_frac) - 1e-9 else
                               (round(plan, -1) if plan >= 1000 else round(plan)), dec)
            e.plan_wan = max(e.plan_wan, 1.0)
            e.cum_prev_wan = round(cum_prev, dec)
            vals = []
            for m in range(12):
                if e.done is not None and y * 12 + m >= e.done:
                    vals.append(remaining)
                else:
                    vals.append(min(remaining, round(p.total * e.ytd_frac[m], dec)))
            e.ytd_wan = vals
            cum_prev = round(cum_prev + vals[-1], dec)

    year_entries: dict[int, list[Project]] = {y: [] for y in range(first_cohort, y_end + 1)}
    for p in built:
        for y in p.entries:
            year_entries[y].append(p)
    plan_sum = {y: sum(p.entries[y].plan_wan for p in year_entries[y]) for y in year_entries}

    # 储备库规模标定：储备项目总投资 / 当年年度计划，窗口内各月中位数 ≈ 5 倍
    reserve_pool = [p for p in projects if p.reserve_from is not None and p.reserve_from <= end_mi]
    months = list(range(start_mi, end_mi + 1))
    pipe_base = {p.pid: p.raw * k0 * UNIT_WAN for p in reserve_pool if p.cohort is None}
    fixed, pipe = [], []
    for mi in months:
        f = v = 0.0
        for p in reserve_pool:
            if p.reserve_from <= mi and (p.reserve_until is None or mi < p.reserve_until):
                if p.cohort is None:
                    v += pipe_base[p.pid]
                else:
                    f += p.est_total
        fixed.append(f)
        pipe.append(v)

    def median_ratio(g: float) -> float:
        r = sorted((fixed[i] + g * pipe[i]) / max(plan_sum[months[i] // 12], 1.0) for i in range(len(months)))
        n = len(r)
        return r[n // 2] if n % 2 else (r[n // 2 - 1] + r[n // 2]) / 2

    lo, hi = 0.05, 50.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if median_ratio(mid) < RESERVE_TARGET_RATIO else (lo, mid)
    g = (lo + hi) / 2
    for p in reserve_pool:
        if p.cohort is None:
            p.total = p.est_total = _nice(min(pipe_base[p.pid] * g, 1_500_000.0))

    # 属性
    used_codes: set = set()
    used_names: dict = {}
    for p in projects:
        _attributes(rng_attr, p, used_codes, used_names)

    # 人员
    used_people: set = set()
    leaders = _leaders(rng_key, used_people)
    head_of = {ld["unit"]: ld for ld in leaders if ld["unit"]}

    # 重点工程：逐年确定，上年重点工程如仍在建则保留（严重滞后的可能被调出），不足的从年度计划大的项目中补足
    quota = {lvl: max(1, round(q * scale)) for lvl, q in KEY_QUOTA.items()}
    prev: dict[int, str] = {}
    for y in range(max(first_cohort, y_start - 1), y_end + 1):
        rows = [p for p in year_entries[y] if p.entries[y].listed_from == y * 12]
        count = {lvl: 0 for lvl in quota}
        for p in rows:
            lvl = prev.get(p.pid)
            if lvl and not (p.entries[y].factor < 0.8 and rng_key.random() < 0.25):
                p.entries[y].key = lvl
                count[lvl] += 1
        cand = sorted((p for p in rows if p.entries[y].key is None),
                      key=lambda p: -p.entries[y].plan_wan * rng_key.lognormvariate(0, 0.35))
        for lvl in quota:
            need = quota[lvl] - count[lvl]
            while need > 0 and cand:
                p = cand.pop(0)
                p.entries[y].key = lvl
                need -= 1
        prev = {p.pid: p.entries[y].key for p in rows if p.entries[y].key}
        for p in rows:
            lvl = p.entries[y].key
            if lvl and p.leader is None:
                ld = _assign_leader(rng_key, p, lvl, leaders)
                p.leader = (ld["name"], ld["title"])
                p.resp_unit = p.tpl.unit
                p.resp_person = _person(rng_key, used_people)
    # 2—3 个重点工程故意缺包联领导
    last_keys = [p for p in year_entries[y_end] if p.entries[y_end].key == "municipal"]
    blank = rng_key.sample(last_keys, min(len(last_keys), 3 if scale >= 0.3 else 2))
    for p in blank:
        p.leader_blank = True
    blank_codes = [p.code for p in sorted(blank, key=lambda p: p.pid)]

    # 坐标和节点计划（只为窗口内出现在年度项目中的项目生成）
    centres = _zone_centres()
    for p in built:
        if any(y_start <= y <= y_end for y in p.entries):
            if p.zone:
                p.lon, p.lat = _random_point(rng_geo, p.county, centres[p.zone], 0.02)
            else:
                p.lon, p.lat = _random_point(rng_geo, p.county, None, 0.0)
            keyed = [y for y in sorted(p.entries) if p.entries[y].key]
            if keyed:
                p.nodes = _nodes(rng_key, p, p.entries[keyed[0]], season)
            if rng_attr.random() < 0.06:
                p.remark = rng_attr.choice(("已纳入专项债支持范围", "已列入省级重点项目储备", "土地已摘牌",
                                            "分期建设", "已完成招投标", "跨年度结转项目"))

    problems = _problems(rng_prob, rng_reopen, year_entries, y_start, y_end, end_mi, head_of, used_people)

    return Programme(seed=seed, scale=scale, start=start_mi, end=end_mi, projects=projects, senders=_senders(),
                     leaders=leaders, problems=problems, year_entries=year_entries, reserve_pool=reserve_pool,
                     targets={y: targets[y] for y in window}, blank_leader_codes=blank_codes)


def _problems(rng: random.Random, rng_reopen: random.Random, year_entries: dict, y_start: int, y_end: int,
              end_mi: int, head_of: dict, used_people: set) -> list[Problem]:
    out: list[Problem] = []
    for y in range(max(min(year_entries), y_start - 1), y_end + 1):
        for p in year_entries[y]:
            e = p.entries[y]
            first = max(e.listed_from, y * 12)
            months = list(range(first, y * 12 + 12))
            lam = PROBLEMS_BASE_RATE * len(months) / 12
            lam *= 1 + 1.6 * max(0.0, 1 - e.factor) if e.started is not None else 2.5
            if e.key:
                lam *= 1.5
            if e.stall:
                lam *= 2.5
            for _ in range(_poisson(rng, lam)):
                if e.stall and rng.random() < 0.6:
                    mi = rng.randint(*e.stall)
                else:
                    mi = rng.choices(months, weights=[SEASON[m % 12] + 0.03 for m in months])[0]
                found = _date_in(mi, rng.randint(1, 28))
                if e.started is None or (e.started and mi < e.started):
                    weights = {"审批": .35, "用地": .3, "征地拆迁": .2, "资金": .1, "其他": .05}
                elif e.stall:
                    weights = {"资金": .5, "征地拆迁": .15, "其他": .2, "用地": .15}
                elif p.invest_kind == "government":
                    weights = {"资金": .35, "用地": .2, "征地拆迁": .15, "审批": .1, "水电气暖接入": .1, "其他": .1}
                else:
                    weights = {"资金": .2, "审批": .15, "用地": .15, "水电气暖接入": .25, "征地拆迁": .05, "其他": .2}
                ptype = _weighted(rng, weights)
                assigned = found + dt.timedelta(days=rng.randint(2, 12))
                working = assigned + dt.timedelta(days=rng.randint(3, 20))
                deadline = found + dt.timedelta(days=rng.randint(30, 90))
                dur = 10 + int(rng.lognormvariate(math.log(55), 0.6) * (1.4 if e.factor < 0.85 else 1.0))
                closed: dt.date | None = found + dt.timedelta(days=dur)
                last_year = max(p.entries)
                if last_year < y_end:  # 项目已不再列入：问题在项目最后一次列入时销号
                    limit = dt.date(last_year, 12, 28)
                    if closed > limit:
                        closed = max(found + dt.timedelta(days=3), limit - dt.timedelta(days=rng.randint(0, 20)))
                vanish = None
                if rng.random() < VANISH_RATE:
                    last = min(_mi_of(closed), end_mi) if closed else end_mi
                    if last - 1 >= mi:
                        vanish = rng.randint(mi, last - 1)
                text, unit, solution = rng.choice(PROBLEM_CASES[ptype])
                unit = unit.format(county=divisions.COUNTY_NAME[p.county])
                if p.leader and not p.leader_blank:
                    leader = p.leader[0]
                else:
                    head = head_of.get(p.sender if p.sender in DEPT_TEMPLATES else (p.zone or p.county))
                    leader = head["name"]
                pr = Problem(pid=p.pid, code_admin=p.code.split("-")[1], ptype=ptype,
                             text=text, found=found, assigned=assigned, working=working,
                             deadline=deadline, closed=closed, escalate=rng.random() < 0.55, vanish_after=vanish,
                             unit=unit, leader=leader, person=_person(rng, used_people),
                             solution=solution,
                             satisfaction=rng.choices(vocab.SATISFACTION, weights=(78, 17, 5))[0])
                if rng.random() < 0.08:  # 「五到位」缺一项
                    gap = rng.choice(("unit", "leader", "person", "solution", "deadline"))
                    if gap == "deadline":
                        pr.deadline = None  # type: ignore[assignment]
                    else:
                        setattr(pr, gap, None)
                if vanish is None:
                    _reopen(rng_reopen, pr, last_year < y_end, end_mi)
                out.append(pr)
    out.sort(key=lambda pr: (pr.found, pr.pid))
    seq: dict[tuple[str, int], int] = {}
    for pr in out:
        k = (pr.code_admin, pr.found.year)
        seq[k] = seq.get(k, 0) + 1
        pr.pid_str = f"WT-{pr.code_admin}-{pr.found.year}-{seq[k]:04d}"
    return out


def _reopen(rng: random.Random, pr: Problem, project_gone: bool, end_mi: int) -> None:
    """办结但企业不满意（或未评价）的问题不能销号：次月重新办理（办理中，新的完成时限为30—60天后，
    问题编号不变），之后以满意或基本满意销号；最近几个月重新办理的少数问题到数据截止仍未办结，超期转督办。
    项目已不再列入年度项目的，重新办理后都会销号。"""
    if pr.closed is None or pr.satisfaction in SATISFIED:
        return
    mi = _mi_of(pr.closed) + 1
    reopened = _date_in(mi, rng.randint(1, 10))
    deadline = reopened + dt.timedelta(days=rng.randint(30, 60))
    if not project_gone and mi > end_mi - REOPEN_STAY_OPEN_MONTHS and rng.random() < REOPEN_STAY_OPEN:
        pr.reopens.append(Reopen(reopened, deadline, None, None, True))
        return
    closed = reopened + dt.timedelta(days=rng.randint(25, 80))
    if _mi_of(closed) == mi:  # 重新办理的当月至少报一次「办理中」
        closed = _date_in(mi + 1, rng.randint(1, 28))
    satisfaction = rng.choices(SATISFIED, weights=(70, 30))[0]
    pr.reopens.append(Reopen(reopened, deadline, closed, satisfaction, rng.random() < 0.55))


def problem_at(pr: Problem, mi: int) -> tuple[str, dt.date | None, dt.date | None, str | None] | None:
    """问题在某月末的（办理状态, 完成时限, 办结时间, 企业满意度）；该月不在清单中时为 None。

    办结的当月报「已办结」；企业满意或基本满意的，次月起不再列入清单；不满意（或未评价）的，
    次月重新办理（见 _reopen），直到满意销号。"""
    end = _month_end(mi)
    if pr.found > end:
        return None
    if pr.vanish_after is not None and mi > pr.vanish_after:
        return None
    if pr.closed is None or _mi_of(pr.closed) >= mi:
        if pr.closed and pr.closed <= end:
            return "closed", pr.deadline, pr.closed, pr.satisfaction
        if pr.escalate and pr.deadline and end > pr.deadline + dt.timedelta(days=7):
            return "escalated", pr.deadline, None, None
        if end >= pr.working:
            return "in_progress", pr.deadline, None, None
        if end >= pr.assigned:
            return "assigned", pr.deadline, None, None
        return "open", pr.deadline, None, None
    for rd in pr.reopens:
        if rd.closed is not None and _mi_of(rd.closed) < mi:
            continue
        if rd.reopened > end:
            return None
        if rd.closed and rd.closed <= end:
            return "closed", rd.deadline, rd.closed, rd.satisfaction
        if rd.escalate and end > rd.deadline + dt.timedelta(days=7):
            return "escalated", rd.deadline, None, None
        return "in_progress", rd.deadline, None, None
    return None


def problem_state(pr: Problem, mi: int) -> str | None:
    """问题在某月末的办理状态；该月不在清单中时为 None。"""
    at = problem_at(pr, mi)
    return at[0] if at else None


# ---------------------------------------------------------------- 盘子概况（标定检查）

def reserve_members(prog: Programme, mi: int) -> list[Project]:
    """某月末在储备库中的项目。"""
    return [p for p in prog.reserve_pool
            if p.reserve_from <= mi and (p.reserve_until is None or mi < p.reserve_until)]


def annual_members(prog: Programme, mi: int) -> list[Project]:
    """某月列入年度建设项目的项目（含已竣工、年底前仍列入的）。"""
    y = mi // 12
    return [p for p in prog.year_entries.get(y, []) if p.entries[y].listed_from <= mi]


def programme_summary(prog: Programme) -> dict:
    """各年、各月的主要数字（不经过文件）：新开工/续建数、年度计划、重点工程、储备库、招商引资、问题。"""
    years: dict[str, dict] = {}
    y_start, y_end = prog.start // 12, prog.end // 12
    for y in range(y_start, y_end + 1):
        rows = prog.year_entries[y]
        ents = [p.entries[y] for p in rows]
        keys = {lvl: sum(1 for e in ents if e.key == lvl) for lvl in vocab.KEY_LEVEL}
        ind = [(p, p.entries[y]) for p in rows if p.sector == "工业"]
        ind_plan = sum(e.plan_wan for _, e in ind)
        six_plan = sum(e.plan_wan for p, e in ind if p.six_new)
        signed = [p for p in prog.projects if p.promo and p.signed and p.signed.year == y]
        started_same = [p for p in signed if p.started is not None and p.started // 12 == y]
        dec = min(y * 12 + 11, prog.end)
        ytd = sum(p.entries[y].ytd_wan[dec % 12] for p in rows if p.entries[y].listed_from <= dec)
        years[str(y)] = {
            "annual_projects": len(rows),
            "new_start": sum(1 for e in ents if e.library == "new_start"),
            "continuing": sum(1 for e in ents if e.library == "continuing"),
            "completed": sum(1 for e in ents if e.done is not None),
            "never_started": sum(1 for e in ents if e.library == "new_start" and e.started is None),
            "annual_plan_yi": round(sum(e.plan_wan for e in ents) / 10000, 2),
            "target_plan_yi": round(prog.targets[y] / 10000, 2),
            "completed_ytd_yi": round(ytd / 10000, 2),
            "ytd_month": _period(dec),
            "key_projects": keys,
            "industrial_share_of_plan": round(ind_plan / max(1.0, sum(e.plan_wan for e in ents)), 3),
            "six_new_share_of_industrial": round(six_plan / max(1.0, ind_plan), 3),
            "promotion_signed": len(signed),
            "promotion_started_same_year": len(started_same),
            "problems_found": sum(1 for pr in prog.problems if pr.found.year == y and pr.found <= _month_end(prog.end)),
        }
    months: dict[str, dict] = {}
    for mi in range(prog.start, prog.end + 1):
        res = reserve_members(prog, mi)
        y = mi // 12
        plan = sum(p.entries[y].plan_wan for p in prog.year_entries[y])
        total = sum(p.est_total for p in res)
        months[_period(mi)] = {"reserve_projects": len(res), "reserve_total_yi": round(total / 10000, 2),
                               "reserve_ratio": round(total / max(plan, 1.0), 2),
                               "annual_projects": len(annual_members(prog, mi))}
    return {"years": years, "months": months}


# ---------------------------------------------------------------- 表头（各单位写法不同，均在 aliases.toml 中）

def _progress_columns(style: Style) -> list[tuple[str, str, str | None]]:
    u = style.unit
    h = style.header
    if h == "linebreak":
        g = f"投资完成情况\n（{u}）"
        spec = [("seq", "序号", None), ("project_code", "统一项目代码", None), ("name", "项目\n名称", None),
                ("owner", "建设\n单位", None), ("county", "所在县（区）", None), ("zone", "所在\n开发区", None),
                ("library", "项目\n类别", None), ("key_level", "重点工程\n级别", None), ("sector", "所属\n行业", None),
                ("six_new_type", "六新\n类型", None), ("two_new_type", "两新一重\n类型", None),
                ("invest_kind", "投资\n类型", None), ("total_investment_wan", f"总投资\n（{u}）", None),
                ("annual_plan_wan", f"年度计划\n投资（{u}）", None), ("completed_month_wan", g, "本 月"),
                ("completed_ytd_wan", g, "年累计"), ("completed_cum_wan", g, "开工\n累计"),
                ("planned_start", "计划开工\n时间", None), ("actual_start", "实际开工\n时间", None),
                ("planned_end", "计划竣工\n时间", None), ("progress_text", "形象\n进度", None),
                ("problem_text", "存在\n问题", None), ("leader", "包联\n领导", None), ("leader_title", "领导\n职务", None),
                ("responsible_unit", "责任\n单位", None), ("responsible_person", "责任人", None),
                ("lon", "经 度", None), ("lat", "纬 度", None), ("is_promotion", "是否招商\n引资项目", None),
                ("signed_date", "签约\n时间", None), ("funding_source", "资金\n来源", None),
                ("land_area_mu", "用地面积\n（亩）", None), ("tags", "标签", None), ("remarks", "备 注", None)]
    elif h == "single":
        spec = [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
                ("owner", "建设单位", None), ("county", "所在县区", None), ("zone", "所在开发区", None),
                ("library", "项目类别", None), ("key_level", "重点工程级别", None), ("sector", "所属行业", None),
                ("six_new_type", "六新类型", None), ("two_new_type", "两新一重类型", None),
                ("invest_kind", "投资类型", None), ("total_investment_wan", f"总投资（{u}）", None),
                ("annual_plan_wan", f"年度计划投资（{u}）", None), ("completed_month_wan", f"本月完成投资（{u}）", None),
                ("completed_ytd_wan", f"年累计完成投资（{u}）", None),
                ("completed_cum_wan", f"开工累计完成投资（{u}）", None),
                ("planned_start", "计划开工时间", None), ("actual_start", "实际开工时间", None),
                ("planned_end", "计划竣工时间", None), ("progress_text", "形象进度", None),
                ("problem_text", "存在问题", None), ("leader", "包联领导", None), ("leader_title", "领导职务", None),
                ("responsible_unit", "责任单位", None), ("responsible_person", "责任人", None),
                ("lon", "经度", None), ("lat", "纬度", None), ("is_promotion", "招商引资项目", None),
                ("signed_date", "签约时间", None), ("funding_source", "资金来源", None),
                ("land_area_mu", "用地面积（亩）", None), ("tags", "标签", None), ("remarks", "备注", None)]
    elif h == "altgroup":
        gp, gd = f"计划投资（{u}）", f"完成投资（{u}）"
        spec = [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
                ("owner", "业主单位", None), ("county", "县区", None), ("zone", "开发区", None),
                ("library", "项目类型", None), ("key_level", "项目级别", None), ("sector", "产业类别", None),
                ("six_new_type", "六新领域", None), ("two_new_type", "两新一重领域", None),
                ("invest_kind", "投资主体", None), ("total_investment_wan", gp, "总投资"),
                ("annual_plan_wan", gp, "年度"), ("completed_month_wan", gd, "本月"), ("completed_ytd_wan", gd, "年累计"),
                ("completed_cum_wan", gd, "开工累计"), ("planned_start", "开工时间", "计划"),
                ("actual_start", "开工时间", "实际"), ("planned_end", "竣工时间", "计划"),
                ("progress_text", "工程进展", None), ("problem_text", "需协调解决的问题", None),
                ("leader", "联系领导", None), ("leader_title", "职务", None), ("responsible_unit", "牵头单位", None),
                ("responsible_person", "具体责任人", None), ("lon", "东经", None), ("lat", "北纬", None),
                ("is_promotion", "是否招商引资项目", None), ("signed_date", "签约日期", None),
                ("funding_source", "资金渠道", None), ("land_area_mu", "占地面积", None), ("tags", "项目标签", None),
                ("remarks", "说明", None)]
    elif h == "alias":
        gd = f"完成投资（{u}）"
        spec = [("seq", "序号", None), ("project_code", "项目编码", None), ("name", "项目名称", None),
                ("owner", "项目单位", None), ("county", "所属县区", None), ("zone", "所在园区", None),
                ("library", "建设性质", None), ("key_level", "重点级别", None), ("sector", "行业类别", None),
                ("six_new_type", "所属六新", None), ("two_new_type", "两新一重", None),
                ("invest_kind", "投资性质", None), ("total_investment_wan", f"项目总投资（{u}）", None),
                ("annual_plan_wan", f"本年计划投资（{u}）", None), ("completed_month_wan", gd, "本月"),
                ("completed_ytd_wan", gd, "年累计"), ("completed_cum_wan", gd, "开工累计"),
                ("planned_start", "计划开工", None), ("actual_start", "实际开工", None), ("planned_end", "计划竣工", None),
                ("progress_text", "目前进展", None), ("problem_text", "存在的问题", None),
                ("leader", "包联领导", None), ("leader_title", "包联领导职务", None),
                ("responsible_unit", "主责单位", None), ("responsible_person", "责任人", None),
                ("lon", "经度", None), ("lat", "纬度", None), ("is_promotion", "招商项目", None),
                ("signed_date", "招商签约时间", None), ("funding_source", "要素保障", "资金"),
                ("land_area_mu", "要素保障", "用地（亩）"), ("tags", "标签", None), ("remarks", "备注", None)]
    else:
        g = f"投资完成情况（{u}）"
        spec = [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
                ("owner", "建设单位", None), ("county", "所在县区", None), ("zone", "所在开发区", None),
                ("library", "项目类别", None), ("key_level", "重点工程级别", None), ("sector", "所属行业", None),
                ("six_new_type", "六新类型", None), ("two_new_type", "两新一重类型", None),
                ("invest_kind", "投资类型", None), ("total_investment_wan", f"总投资（{u}）", None),
                ("annual_plan_wan", f"年度计划投资（{u}）", None), ("completed_month_wan", g, "本月"),
                ("completed_ytd_wan", g, "年累计"), ("completed_cum_wan", g, "开工累计"),
                ("planned_start", "时间安排", "计划开工"), ("actual_start", "时间安排", "实际开工"),
                ("planned_end", "时间安排", "计划竣工"), ("progress_text", "形象进度", None),
                ("problem_text", "存在问题", None), ("leader", "包联领导", None), ("leader_title", "领导职务", None),
                ("responsible_unit", "责任单位", None), ("responsible_person", "责任人", None),
                ("lon", "坐标", "经度"), ("lat", "坐标", "纬度"), ("is_promotion", "招商引资项目", None),
                ("signed_date", "签约时间", None), ("funding_source", "资金来源", None),
                ("land_area_mu", "用地面积（亩）", None), ("tags", "标签", None), ("remarks", "备注", None)]
    return spec


def _reserve_columns(style: Style) -> list[tuple[str, str, str | None]]:
    u = style.unit
    h = style.header
    if h == "linebreak":
        return [("seq", "序号", None), ("project_code", "统一项目代码", None), ("name", "项目\n名称", None),
                ("owner", "建设\n单位", None), ("county", "所在县（区）", None), ("zone", "所在\n开发区", None),
                ("library", "项目\n类别", None), ("sector", "所属\n行业", None), ("six_new_type", "六新\n类型", None),
                ("two_new_type", "两新一重\n类型", None), ("invest_kind", "投资\n类型", None),
                ("total_investment_wan", f"总投资\n（{u}）", None), ("planned_start", "计划开工\n时间", None),
                ("planned_end", "计划竣工\n时间", None), ("prep_stage", "前期工作\n进展", None),
                ("is_promotion", "是否招商\n引资项目", None), ("signed_date", "签约\n时间", None),
                ("funding_source", "资金\n来源", None), ("land_area_mu", "用地面积\n（亩）", None),
                ("tags", "标签", None), ("remarks", "备 注", None)]
    if h == "altgroup":
        return [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
                ("owner", "业主单位", None), ("county", "县区", None), ("zone", "开发区", None),
                ("library", "项目类型", None), ("sector", "产业类别", None), ("six_new_type", "六新领域", None),
                ("two_new_type", "两新一重领域", None), ("invest_kind", "投资主体", None),
                ("total_investment_wan", f"估算总投资（{u}）", None), ("planned_start", "开工时间", "计划"),
                ("planned_end", "竣工时间", "计划"), ("prep_stage", "前期进展", None),
                ("is_promotion", "是否招商引资项目", None), ("signed_date", "签约日期", None),
                ("funding_source", "资金渠道", None), ("land_area_mu", "占地面积", None), ("tags", "项目标签", None),
                ("remarks", "说明", None)]
    if h == "alias":
        return [("seq", "序号", None), ("project_code", "项目编码", None), ("name", "项目名称", None),
                ("owner", "项目单位", None), ("county", "所属县区", None), ("zone", "所在园区", None),
                ("library", "建设性质", None), ("sector", "行业类别", None), ("six_new_type", "所属六新", None),
                ("two_new_type", "两新一重", None), ("invest_kind", "投资性质", None),
                ("total_investment_wan", f"计划总投资（{u}）", None), ("planned_start", "拟开工时间", None),
                ("planned_end", "计划完工时间", None), ("prep_stage", "项目前期进展", None),
                ("is_promotion", "招商项目", None), ("signed_date", "招商签约时间", None),
                ("funding_source", "要素保障", "资金"), ("land_area_mu", "要素保障", "用地（亩）"),
                ("tags", "标签", None), ("remarks", "备注", None)]
    single = h == "single"
    return [("seq", "序号", None), ("project_code", "项目代码", None), ("name", "项目名称", None),
            ("owner", "建设单位", None), ("county", "所在县区", None), ("zone", "所在开发区", None),
            ("library", "项目类别", None), ("sector", "所属行业", None), ("six_new_type", "六新类型", None),
            ("two_new_type", "两新一重类型", None), ("invest_kind", "投资类型", None),
            ("total_investment_wan", f"总投资（{u}）", None),
            ("planned_start", "计划开工时间", None) if single else ("planned_start", "时间安排", "计划开工"),
            ("planned_end", "计划竣工时间", None) if single else ("planned_end", "时间安排", "计划竣工"),
            ("prep_stage", "前期工作进展", None), ("is_promotion", "招商引资项目", None),
            ("signed_date", "签约时间", None), ("funding_source", "资金来源", None),
            ("land_area_mu", "用地面积（亩）", None), ("tags", "标签", None), ("remarks", "备注", None)]


def _problem_columns(style: Style) -> list[tuple[str, str, str | None]]:
    h = style.header
    if h in ("altgroup", "alias"):
        return [("seq", "序号", None), ("problem_id", "编号", None), ("project_code", "项目编码", None),
                ("name", "项目名称", None), ("county", "县区", None), ("problem_type", "问题类别", None),
                ("description", "具体问题", None), ("found_date", "反映时间", None),
                ("responsible_unit", "牵头单位", None), ("resp_leader", "分管领导", None),
                ("responsible_person", "具体责任人", None), ("solution", "推进措施", None),
                ("deadline", "办结时限", None), ("state", "办理情况", None), ("closed_date", "销号时间", None),
                ("satisfaction", "企业评价", None), ("remarks", "备注", None)]
    if h == "linebreak":
        return [("seq", "序号", None), ("problem_id", "问题\n编号", None), ("project_code", "统一项目代码", None),
                ("name", "项目\n名称", None), ("county", "所在县（区）", None), ("problem_type", "问题\n类型", None),
                ("description", "问题\n描述", None), ("found_date", "发现\n时间", None),
                ("responsible_unit", "责任\n单位", None), ("resp_leader", "责任\n领导", None),
                ("responsible_person", "责任人", None), ("solution", "解决\n措施", None),
                ("deadline", "完成\n时限", None), ("state", "办理\n状态", None), ("closed_date", "办结\n时间", None),
                ("satisfaction", "企业\n满意度", None), ("remarks", "备 注", None)]
    grp = None if h == "single" else "责任落实（五到位）"

    def g(field_name: str, label: str):
        return (field_name, grp, label) if grp else (field_name, label, None)

    return [("seq", "序号", None), ("problem_id", "问题编号", None), ("project_code", "项目代码", None),
            ("name", "项目名称", None), ("county", "所在县区", None), ("problem_type", "问题类型", None),
            ("description", "问题描述", None), ("found_date", "发现时间", None), g("responsible_unit", "责任单位"),
            g("resp_leader", "责任领导"), g("responsible_person", "责任人"), g("solution", "解决措施"),
            g("deadline", "完成时限"), ("state", "办理状态", None), ("closed_date", "办结时间", None),
            ("satisfaction", "企业满意度", None), ("remarks", "备注", None)]


def _milestone_columns(style: Style) -> list[tuple[str, str, str | None]]:
    if style.header in ("altgroup", "alias"):
        return [("project_code", "项目编码", None), ("name", "项目名称", None), ("node_seq", "节点序号", None),
                ("node_name", "关键节点", None), ("node_planned", "倒排工期", None),
                ("node_actual", "实际完成", None), ("remarks", "说明", None)]
    return [("project_code", "项目代码", None), ("name", "项目名称", None), ("node_seq", "节点序号", None),
            ("node_name", "节点名称", None), ("node_planned", "计划完成时间", None),
            ("node_actual", "实际完成时间", None), ("remarks", "备注", None)]


MONEY_FIELDS = ("total_investment_wan", "annual_plan_wan", "completed_month_wan", "completed_ytd_wan",
                "completed_cum_wan")
DATE_FIELDS = ("planned_start", "actual_start", "planned_end", "signed_date", "found_date", "deadline",
               "closed_date", "node_planned", "node_actual")
COLUMN_WIDTH = {"seq": 5, "project_code": 26, "name": 36, "owner": 28, "county": 12, "zone": 18, "description": 36,
                "progress_text": 24, "problem_text": 26, "solution": 30, "responsible_unit": 20, "tags": 18,
                "funding_source": 18, "prep_stage": 22, "leader_title": 18, "problem_id": 22, "node_name": 14,
                "remarks": 16}

VOCAB_WORDS = {
    "std": dict(library={"new_start": "新开工", "continuing": "续建", "reserve": "储备"}, key=dict(vocab.KEY_LEVEL),
                sector={}, invest=dict(vocab.INVEST_KIND), yes="是", no="否", two={}, state=dict(vocab.PROBLEM_STATE),
                ptype={}),
    "alt": dict(library={"new_start": "新建", "continuing": "在建", "reserve": "储备类"},
                key={"province_managed": "省定省管", "province_city_managed": "省定市管", "municipal": "市级重点"},
                sector={"工业": "工业项目", "农业": "现代农业", "服务业": "现代服务业", "科技创新平台": "科创平台",
                        "基础设施": "基础设施项目", "社会民生": "社会事业"},
                invest={"enterprise": "企业", "government": "政府"}, yes="√", no=None,
                two={"交通水利等重大工程": "交通、水利等重大工程"},
                state={"open": "新发现", "assigned": "交办", "in_progress": "推进中", "escalated": "挂牌督办",
                       "closed": "已销号"},
                ptype={"用地": "土地", "资金": "融资", "审批": "手续", "水电气暖接入": "水电气暖", "征地拆迁": "征拆"}),
    "alt2": dict(library={"new_start": "新开工项目", "continuing": "续建项目", "reserve": "储备项目"},
                 key={"province_managed": "省定省管", "province_city_managed": "省定市管", "municipal": "市重点"},
                 sector={}, invest=dict(vocab.INVEST_KIND), yes="是", no="否", two={},
                 state=dict(vocab.PROBLEM_STATE), ptype={}),
}
ZONE_SHORT_NAME = {"140271": "大同经开区", "140291": "云冈经开区", "140292": "新荣经开区", "140293": "左云经开区",
                   "140294": "广灵经开区"}
FAULT_KINDS = ("missing_code", "unknown_county", "negative_amount", "non_numeric_amount", "ytd_below_month",
               "coords_outside", "exact_duplicate", "conflicting_duplicate")
FAULT_LABEL = {"missing_code": "缺少项目代码", "unknown_county": "未知县区（大同市北城区）", "negative_amount": "金额为负",
               "non_numeric_amount": "金额不是数字（约…）", "ytd_below_month": "年累计小于本月",
               "coords_outside": "坐标不在大同市范围内", "exact_duplicate": "完全重复的行",
               "conflicting_duplicate": "同一项目两行数据不一致"}
# 统计口径疑点（queries/consistency_flags.sql 提出的问题）：行本身合规、ETL 照常接收
INCONSISTENCY_KINDS = ("ytd_vs_months", "ytd_decrease", "cum_below_ytd", "magnitude_jump")


def _render_date(d: dt.date | None, style: str, day_precision: bool = False):
    if d is None:
        return None
    if day_precision:
        style = {"ym_dash": "ymd_dash", "ym_dot": "ymd_dot", "ym_cn": "ymd_cn"}.get(style, style)
    if style == "excel":
        return d
    if style == "serial":
        return (d - dt.date(1899, 12, 30)).days
    y, m, dd = d.year, d.month, d.day
    return {"ym_dash": f"{y}-{m:02d}", "ym_dot": f"{y}.{m}", "ym_cn": f"{y}年{m}月", "ymd_slash": f"{y}/{m}/{dd}",
            "ymd_dash": f"{y}-{m:02d}-{dd:02d}", "ymd_cn": f"{y}年{m}月{dd}日", "ymd_dot": f"{y}.{m}.{dd}"}[style]


def _render_county(code: str, style: Style) -> str:
    name = divisions.COUNTY_NAME[code]
    if style.county_fmt == "city_prefix":
        return "大同市" + name
    if style.county_fmt == "short":
        return name[:-1]
    return name


# ---------------------------------------------------------------- 形象进度

def _progress_text(p: Project, e: Entry, mi: int) -> str:
    k = p.pid + mi
    if p.done is not None and p.done <= mi:
        return "已竣工投产"
    if p.started is None or p.started > mi:
        if mi > e.ps + 1:
            return ("受前期手续影响，尚未开工", "推迟开工，正在协调要素保障", "尚未开工，正在办理用地手续")[k % 3]
        return ("前期手续办理中", "施工图设计中", "正在办理施工许可", f"场地平整中，计划{_ym(e.ps)[1]}月开工",
                "土地手续办理中")[k % 5]
    if e.stall and e.stall[0] <= mi <= e.stall[1]:
        return ("受资金影响暂时停工", "停工待复工", "因征地问题暂缓施工")[k % 3]
    m = mi % 12
    ytd = e.ytd_wan[m]
    prev = e.ytd_wan[m - 1] if m else 0.0
    if ytd - prev <= 0 and m in (0, 1, 11):
        return ("冬季停工", "冬歇期，计划3月复工")[k % 2]
    frac = (e.cum_prev_wan + ytd) / p.total if p.total else 0.0
    kind = next((v for key, v in PROGRESS_KEYS if key in p.name), "厂" if p.sector == "工业" else "楼")
    for limit, options in zip((0.15, 0.45, 0.75, 0.95), PROGRESS_WORDS[kind]):
        if frac < limit:
            return options[k % len(options)].format(p=int(frac * 100))
    return "收尾工程，准备竣工验收"


# ---------------------------------------------------------------- 每月每个单位的行

def _progress_row(p: Project, e: Entry, mi: int, open_problem: str | None) -> dict:
    m = mi % 12
    dec = p.decimals
    ytd = e.ytd_wan[m]
    prev = e.ytd_wan[m - 1] if m else 0.0
    key = e.key
    show_leader = key is not None and p.leader is not None and not p.leader_blank
    return {
        "_pid": p.pid, "_key": key, "_county": p.county,
        "project_code": p.code, "name": p.name, "owner": p.owner, "county": p.county, "zone": p.zone,
        "library": e.library, "key_level": key, "sector": p.sector, "six_new_type": p.six_new,
        "two_new_type": p.two_new, "invest_kind": p.invest_kind, "total_investment_wan": p.total,
        "annual_plan_wan": e.plan_wan, "completed_month_wan": round(ytd - prev, dec), "completed_ytd_wan": ytd,
        "completed_cum_wan": round(e.cum_prev_wan + ytd, dec),
        "planned_start": _date_in(e.ps, p.start_day),
        "actual_start": _date_in(p.started, p.start_day) if p.started is not None and p.started <= mi else None,
        "planned_end": _date_in(e.pe, 28), "progress_text": _progress_text(p, e, mi), "problem_text": open_problem,
        "leader": p.leader[0] if show_leader else None, "leader_title": p.leader[1] if show_leader else None,
        "responsible_unit": p.resp_unit if key else None, "responsible_person": p.resp_person if key else None,
        "lon": p.lon, "lat": p.lat, "is_promotion": p.promo, "signed_date": p.signed,
        "funding_source": p.funding, "land_area_mu": p.land, "tags": p.tags, "remarks": p.remark or None,
    }


def _reserve_row(p: Project, mi: int) -> dict:
    months_in = mi - p.reserve_from
    if p.cohort is not None and p.annual_from - mi <= 2:
        stage = PREP_STAGES[-1]
    else:
        stage = PREP_STAGES[min(len(PREP_STAGES) - 2, months_in // 4 + p.prep_offset)]
    if p.promo and months_in < 3:
        stage = "已签约，正在办理前期手续"
    ps = p.ps
    while ps <= mi:  # 计划开工时间已过仍未开工的，顺延一年
        ps += 12
    return {
        "_pid": p.pid, "_county": p.county,
        "project_code": p.code, "name": p.name, "owner": p.owner, "county": p.county, "zone": p.zone,
        "library": "reserve", "sector": p.sector, "six_new_type": p.six_new, "two_new_type": p.two_new,
        "invest_kind": p.invest_kind, "total_investment_wan": p.est_total,
        "planned_start": _date_in(ps, 1), "planned_end": _date_in(p.pe + ps - p.ps, 28), "prep_stage": stage,
        "is_promotion": p.promo, "signed_date": p.signed, "funding_source": p.funding, "land_area_mu": p.land,
        "tags": p.tags, "remarks": None,
    }


def _problem_row(pr: Problem, p: Project, at: tuple, mi: int) -> dict:
    state, deadline, closed, satisfaction = at
    if state in ("in_progress", "assigned") and deadline and _month_end(mi) > deadline:
        remark = "已超期"
    elif pr.reopens and state != "closed" and pr.reopens[0].reopened <= _month_end(mi):
        remark = "企业不满意，重新办理"
    else:
        remark = None
    return {
        "_state": state, "problem_id": pr.pid_str, "project_code": p.code, "name": p.name, "county": p.county,
        "problem_type": pr.ptype, "description": pr.text, "found_date": pr.found, "responsible_unit": pr.unit,
        "resp_leader": pr.leader, "responsible_person": pr.person, "solution": pr.solution, "deadline": deadline,
        "state": state, "closed_date": closed, "satisfaction": satisfaction, "remarks": remark,
    }


def _milestone_rows(p: Project, mi: int) -> list[dict]:
    end = _month_end(mi)
    out = []
    for nd in p.nodes:
        actual = nd.actual if nd.actual is not None and nd.actual <= end else None
        if actual:
            note = "按期完成" if actual <= nd.planned else "滞后完成"
        else:
            note = "逾期未完成" if nd.planned < end else "未到期"
        out.append({"project_code": p.code, "name": p.name, "node_seq": nd.seq, "node_name": nd.name,
                    "node_planned": nd.planned, "node_actual": actual, "remarks": note})
    return out


# ---------------------------------------------------------------- 表格网格

@dataclass
class _Sheet:
    name: str
    fields: list[str]
    cells: list[list] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)       # 每行：title unit header section data subtotal total blank footer
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    unit: str = "万元"
    decimals: int = 2
    data_rows: int = 0

    def add(self, row: list, kind: str) -> int:
        self.cells.append(row)
        self.kinds.append(kind)
        return len(self.cells) - 1


def _renderer(field_name: str, style: Style, words: dict, day_precision: bool = False):
    """一个字段按该单位的习惯写成单元格内容的函数（None 仍为空单元格）。"""
    if field_name in MONEY_FIELDS:
        if style.unit == "亿元":
            return lambda v: v if isinstance(v, str) else round(v / 10000, 4)  # 字符串为有错误的金额（「约…」）
        if style.decimals:
            return lambda v: v if isinstance(v, str) else round(v, style.decimals)
        return lambda v: v if isinstance(v, str) else int(round(v))
    if field_name in DATE_FIELDS:
        return lambda v: _render_date(v, style.dates, day_precision)
    if field_name == "county":
        return lambda v: v if v.startswith("大同市北") else _render_county(v, style)
    if field_name == "zone":
        return (lambda v: ZONE_SHORT_NAME[v]) if style.zone_fmt == "short" else (lambda v: divisions.ZONE_NAME[v])
    table = {"library": words["library"], "key_level": words["key"], "invest_kind": words["invest"],
             "state": words["state"]}.get(field_name)
    if table is not None:
        return table.__getitem__
    table = {"sector": words["sector"], "two_new_type": words["two"], "problem_type": words["ptype"]}.get(field_name)
    if table is not None:
        return lambda v: table.get(v, v)
    if field_name == "is_promotion":
        return lambda v: words["yes"] if v else words["no"]
    return None


def _headers(sheet: _Sheet, cols: list[tuple[str, str, str | None]]) -> int:
    """写两行（或一行）表头，返回表头行数。"""
    two = any(sub for _, _, sub in cols)
    r = len(sheet.cells)
    top = [t for _, t, _ in cols]
    if not two:
        sheet.add(top, "header")
        return 1
    row_top, row_sub = [], []
    j = 0
    while j < len(cols):
        f, t, sub = cols[j]
        if sub is None:
            row_top.append(t)
            row_sub.append(None)
            sheet.merges.append((r, j, r + 1, j))
            j += 1
            continue
        k = j
        while k + 1 < len(cols) and cols[k + 1][1] == t and cols[k + 1][2] is not None:
            k += 1
        for i in range(j, k + 1):
            row_top.append(t if i == j else None)
            row_sub.append(cols[i][2])
        if k > j:
            sheet.merges.append((r, j, r, k))
        j = k + 1
    sheet.add(row_top, "header")
    sheet.add(row_sub, "header")
    return 2


def _title_rows(sheet: _Sheet, title: str, unit_line: str | None, report_date: str, ncols: int) -> None:
    r = sheet.add([title] + [None] * (ncols - 1), "title")
    sheet.merges.append((r, 0, r, ncols - 1))
    if unit_line is not None:
        row = [None] * ncols
        row[0] = unit_line
        row[max(1, ncols - 3)] = f"填报日期：{report_date}"
        sheet.add(row, "unit")


def _footer_rows(sheet: _Sheet, sender: Sender, ncols: int) -> None:
    sheet.add([None] * ncols, "blank")
    items = [f"填报单位：{sender.filler_org}", f"填报人：{sender.filler}", f"联系电话：{sender.phone}",
             f"审核人：{sender.reviewer}"]
    if sender.style.footer == "lines":
        for it in items:
            sheet.add([it] + [None] * (ncols - 1), "footer")
    else:
        row = [None] * ncols
        for i, it in enumerate(items):
            row[min(ncols - 1, i * max(2, ncols // 4))] = it
        sheet.add(row, "footer")


def _sum_cells(sheet: _Sheet, rows: list[int], j: int, yi: bool):
    s = 0.0
    for r in rows:
        v = sheet.cells[r][j]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            s += v
    return round(s, 4 if yi else 2)


def _total_row(sheet: _Sheet, label: str, rows: list[int], cols, style: Style, kind: str,
               parts: list[int] | None = None) -> int:
    ncols = len(cols)
    row: list = [label] + [None] * (ncols - 1)
    r = len(sheet.cells)
    for j, (f, _, _) in enumerate(cols):
        if f in MONEY_FIELDS:
            val = _sum_cells(sheet, rows, j, style.unit == "亿元")
            if style.decimals == 0 and style.unit != "亿元":
                val = int(round(val))
            if style.formulas:
                col = xlsxwriter.utility.xl_col_to_name(j)
                if parts is not None:
                    formula = "=" + "+".join(f"{col}{p + 1}" for p in parts) if parts else "=0"
                elif rows:
                    formula = f"=SUM({col}{rows[0] + 1}:{col}{rows[-1] + 1})"
                else:
                    formula = "=0"
                row[j] = (formula, val)
            else:
                row[j] = val
    sheet.add(row, kind)
    sheet.merges.append((r, 0, r, 2))
    return r


# ---------------------------------------------------------------- 写 xlsx / csv

class _Formats:
    def __init__(self, wb, style: Style):
        money = "0.0000" if style.unit == "亿元" else ("#,##0.00" if style.decimals else "#,##0")
        date_fmt = {"excel": "yyyy-mm-dd"}.get(style.dates, "@")
        base = {"border": 1, "valign": "vcenter", "font_size": 10}
        self.title = wb.add_format({"bold": True, "font_size": 15, "align": "center", "valign": "vcenter"})
        self.unit = wb.add_format({"font_size": 10})
        self.header = wb.add_format({**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"})
        self.section = wb.add_format({**base, "bold": True})
        self.text = wb.add_format(base)
        self.center = wb.add_format({**base, "align": "center"})
        self.money = wb.add_format({**base, "num_format": money})
        self.number = wb.add_format({**base, "num_format": "0.0"})
        self.coord = wb.add_format({**base, "num_format": "0.000000"})
        self.date = wb.add_format({**base, "num_format": date_fmt, "align": "center"})
        self.total_text = wb.add_format({**base, "bold": True, "align": "center"})
        self.total_money = wb.add_format({**base, "bold": True, "num_format": money})
        self.footer = wb.add_format({"font_size": 10})

    def for_cell(self, kind: str, field_name: str):
        if kind == "data":
            if field_name in MONEY_FIELDS:
                return self.money
            if field_name in ("lon", "lat"):
                return self.coord
            if field_name in DATE_FIELDS:
                return self.date
            if field_name in ("seq", "node_seq", "county", "library", "key_level", "is_promotion", "state"):
                return self.center
            if field_name == "land_area_mu":
                return self.number
            return self.text
        if kind in ("subtotal", "total"):
            return self.total_money if field_name in MONEY_FIELDS else self.total_text
        return {"title": self.title, "unit": self.unit, "header": self.header, "section": self.section,
                "footer": self.footer}.get(kind, self.text)


def _write_xlsx(path: Path, sheets: list[_Sheet], style: Style, created: dt.datetime, author: str, company: str,
                title: str) -> None:
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    wb.set_properties({"title": title, "author": author, "company": company, "created": created})
    fm = _Formats(wb, style)
    for sh in sheets:
        ws = wb.add_worksheet(sh.name)
        for j, f in enumerate(sh.fields):
            ws.set_column(j, j, COLUMN_WIDTH.get(f, 11))
        covered = set()
        firsts = {}
        for r1, c1, r2, c2 in sh.merges:
            firsts[(r1, c1)] = (r2, c2)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        covered.add((r, c))
        header_end = 0
        write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
        data_formats = [fm.for_cell("data", f) for f in sh.fields]
        for r, (row, kind) in enumerate(zip(sh.cells, sh.kinds)):
            if kind == "data":  # 数据行没有合并单元格，走快速路径
                for c, v in enumerate(row):
                    if v is None:
                        continue
                    if isinstance(v, str):
                        write_string(r, c, v, data_formats[c])
                    elif isinstance(v, dt.date):
                        write_datetime(r, c, dt.datetime(v.year, v.month, v.day), data_formats[c])
                    elif isinstance(v, bool):
                        write_string(r, c, "是" if v else "否", data_formats[c])
                    else:
                        write_number(r, c, v, data_formats[c])
                continue
            if kind == "header":
                header_end = r + 1
                ws.set_row(r, 32)
            elif kind == "title":
                ws.set_row(r, 30)
            for c, v in enumerate(row):
                if (r, c) in covered:
                    continue
                fld = sh.fields[c] if c < len(sh.fields) else ""
                fmt = fm.for_cell(kind, fld)
                if (r, c) in firsts:
                    r2, c2 = firsts[(r, c)]
                    ws.merge_range(r, c, r2, c2, v if not isinstance(v, tuple) else v[1], fmt)
                    continue
                if v is None:
                    continue
                if isinstance(v, tuple):
                    ws.write_formula(r, c, v[0], fmt, v[1])
                elif isinstance(v, str):
                    write_string(r, c, v, fmt)
                elif isinstance(v, (int, float)):
                    write_number(r, c, v, fmt)
                else:
                    write_string(r, c, str(v), fmt)
        if header_end:
            ws.freeze_panes(header_end, 3 if "name" in sh.fields[:4] else 0)
    wb.close()


def _csv_value(v, field_name: str, decimals: int, yi: bool) -> str:
    if v is None:
        return ""
    if isinstance(v, tuple):
        v = v[1]
    if isinstance(v, str):
        return v
    if isinstance(v, dt.date):
        return f"{v.year}/{v.month}/{v.day}"  # Excel 另存为 csv 时日期单元格的样子
    if field_name in MONEY_FIELDS:
        return f"{v:.4f}" if yi else (f"{v:.{decimals}f}" if decimals else str(int(v)))
    if field_name in ("lon", "lat"):
        return f"{v:.6f}"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _write_csv(path: Path, sheet: _Sheet) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    yi = sheet.unit == "亿元"
    for row, kind in zip(sheet.cells, sheet.kinds):
        fields = sheet.fields if kind in ("data", "subtotal", "total") else [""] * len(row)
        w.writerow([_csv_value(v, fields[j] if j < len(fields) else "", sheet.decimals, yi)
                    for j, v in enumerate(row)])
    path.write_bytes(buf.getvalue().encode("gbk"))


# ---------------------------------------------------------------- 逐月、逐单位生成

def _row_sort_key(row: dict):
    order = {"province_managed": 0, "province_city_managed": 1, "municipal": 2, None: 3}
    return order[row["_key"]], -row["annual_plan_wan"], row["project_code"]


def _inject_faults(rows_by_section: list[list[dict]], rng: random.Random, forced: list[str], style: Style,
                   allow_omit: bool, protect: set | frozenset = frozenset()
                   ) -> tuple[list[list[dict]], list[dict], list[dict]]:
    """按已知方式弄坏少量行；返回（各段的行、错误行、漏报的行）。protect 中的项目（pid）不弄坏、不漏报。"""
    dec = style.decimals
    out_sections, faulty, omitted = [], [], []
    flat_positions = [(s, i) for s, rows in enumerate(rows_by_section) for i in range(len(rows))]
    plan: dict[tuple[int, int], str] = {}
    for pos in flat_positions:
        if rng.random() < FAULT_RATE:
            plan[pos] = rng.choice(FAULT_KINDS)
    kept = {pos for pos in flat_positions if rows_by_section[pos[0]][pos[1]]["_pid"] in protect}
    plan = {pos: kind for pos, kind in plan.items() if pos not in kept}
    free = [pos for pos in flat_positions if pos not in plan and pos not in kept]
    for kind in forced:
        if free:
            pos = free.pop(rng.randrange(len(free)))
            plan[pos] = kind
    for s, rows in enumerate(rows_by_section):
        out: list[dict] = []
        tail: list[dict] = []
        for i, row in enumerate(rows):
            kind = plan.get((s, i))
            if kind is None and allow_omit and row.get("_omit_ok") and rng.random() < OMIT_RATE:
                omitted.append(row)
                continue
            out.append(row)
            if kind is None:
                continue
            row["_fault"] = kind
            faulty.append(row)
            month, ytd = row["completed_month_wan"], row["completed_ytd_wan"]
            if kind == "missing_code":
                row["project_code"] = None
            elif kind == "unknown_county":
                row["county"] = "大同市北城区"
            elif kind == "negative_amount":
                row["completed_month_wan"] = -(abs(month) or (13.0 if dec == 0 else 12.5))
            elif kind == "non_numeric_amount":
                f = rng.choice(("completed_month_wan", "completed_ytd_wan"))
                v = row[f]
                row[f] = f"约{v / 10000:.2f}" if style.unit == "亿元" else f"约{max(10, int(round(v, -1)))}"
                row["_fault_field"] = f
            elif kind == "ytd_below_month":
                if month < 20:
                    month = float(max(20, round(row["annual_plan_wan"] * 0.05)))
                row["completed_month_wan"] = month
                row["completed_ytd_wan"] = round(month * 0.4, dec) if dec else float(round(month * 0.4))
            elif kind == "coords_outside":
                if rng.random() < 0.5:
                    row["lon"], row["lat"] = row["lat"], row["lon"]
                else:
                    row["lon"], row["lat"] = 0.0, 0.0
            elif kind == "exact_duplicate":
                copy = dict(row)
                copy["_exact_of"] = row
                row["_fault"] = None  # 第一行有效，第二行是重复
                faulty.pop()
                faulty.append(copy)
                out.append(copy)
            elif kind == "conflicting_duplicate":
                copy = {k: v for k, v in row.items() if not k.startswith("_cells")}
                delta = float(max(10, round(abs(month) * 0.3 + 50)))
                copy["completed_month_wan"] = round(month + delta, dec)
                copy["completed_ytd_wan"] = round(ytd + delta, dec)
                copy["completed_cum_wan"] = round(row["completed_cum_wan"] + delta, dec)
                copy["_fault"] = kind
                faulty.append(copy)
                tail.append(copy)
        out_sections.append(out + tail)
    return out_sections, faulty, omitted


def _blank_some(row: dict, rng: random.Random) -> None:
    for f, rate in (("owner", 0.02), ("funding_source", 0.04), ("tags", 0.05), ("land_area_mu", 0.03)):
        if row.get(f) is not None and rng.random() < rate:
            row[f] = None


def _data_sheet(name: str, cols, sender: Sender, title: str, unit_line: str | None, report_date: str,
                sections: list[tuple[str | None, list[dict]]], totals: bool, day_precision: bool) -> _Sheet:
    style = sender.style
    fields = [c[0] for c in cols]
    sheet = _Sheet(name, fields, unit=style.unit, decimals=style.decimals)
    words = VOCAB_WORDS[style.vocab]
    n = len(fields)
    _title_rows(sheet, title, unit_line, report_date, n)
    _headers(sheet, cols)
    seq = 0
    all_rows: list[int] = []
    sub_rows: list[int] = []
    renderers = [(f, _renderer(f, style, words, day_precision)) for f in fields]
    for label, rows in sections:
        if label is not None and not rows:
            continue
        if label is not None:
            r = sheet.add([label] + [None] * (n - 1), "section")
            sheet.merges.append((r, 0, r, 2))
        idx = []
        for row in rows:
            if "_exact_of" in row:
                cells = list(row["_exact_of"]["_cells"])
            else:
                seq += 1
                cells = []
                for f, fn in renderers:
                    v = row.get(f)
                    cells.append(seq if f == "seq" else (None if v is None else (v if fn is None else fn(v))))
            row["_cells"] = cells
            r = sheet.add(cells, "data")
            row["_excel_row"] = r + 1
            idx.append(r)
        sheet.data_rows += len(idx)
        all_rows += idx
        if totals and label is not None:
            sub_rows.append(_total_row(sheet, "小计", idx, cols, style, "subtotal"))
    if totals:
        _total_row(sheet, "合计", all_rows, cols, style, "total", parts=sub_rows if style.formulas else None)
    _footer_rows(sheet, sender, n)
    return sheet


def _written_wan(v, style: Style) -> float:
    """单元格里写的金额折回万元（truth 以文件中实际写的数为准）。"""
    if style.unit == "亿元":
        return round(round(v / 10000, 4) * 10000, 2)
    return round(v, style.decimals)


class _Index:
    """按年份、报送单位分组的年度项目，以及按月的储备项目。"""

    def __init__(self, prog: Programme):
        self.by_year_sender: dict[tuple[int, str], list[Project]] = {}
        for y, ps in prog.year_entries.items():
            for p in ps:
                self.by_year_sender.setdefault((y, p.sender), []).append(p)
        self.project = {p.pid: p for p in prog.projects}
        self.problems_by_pid: dict[int, list[Problem]] = {}
        for pr in prog.problems:
            self.problems_by_pid.setdefault(pr.pid, []).append(pr)


def _listed(p: Project, mi: int) -> bool:
    """项目在 mi 月的项目进展表中（列入年度项目）。"""
    e = p.entries.get(mi // 12)
    return e is not None and e.listed_from <= mi


def _amounts(p: Project, mi: int) -> tuple[float, float, float]:
    """（本月, 年累计, 开工累计），万元，与 _progress_row 写出的一致。"""
    e = p.entries[mi // 12]
    m = mi % 12
    ytd = e.ytd_wan[m]
    prev = e.ytd_wan[m - 1] if m else 0.0
    return round(ytd - prev, p.decimals), ytd, round(e.cum_prev_wan + ytd, p.decimals)


def _inconsistency(kind: str, p: Project, mi: int, start: int, style: Style, rng: random.Random) -> dict | None:
    """把 p 在 mi 月的一个数改成统计部门会提出疑问的样子（行仍合规）；不适用时为 None。

    返回 set（改写的字段，万元）、field、label，以及与 consistency_flags.sql 一致的
    value_wan（被质疑的数）和 reference_wan（比较的数），均为文件中实际写的数折成万元。"""
    dec = p.decimals

    def w(v: float) -> float:
        return _written_wan(v, style)

    mon, ytd, cum = _amounts(p, mi)
    first_month = mi % 12 == 0
    has_prev = mi - 1 >= start and _listed(p, mi - 1)  # 上月报表中有该项目
    if kind == "ytd_vs_months":
        # 本月只填了部分（如只填了一个标段），年累计按实际
        if mon < 20 or not (first_month or has_prev):
            return None
        new = round(mon * rng.uniform(0.3, 0.7), dec)
        ref = w(new) if first_month else w(_amounts(p, mi - 1)[1]) + w(new)
        if w(new) <= 0 or abs(w(ytd) - ref) <= 2:
            return None
        return {"set": {"completed_month_wan": new}, "field": None, "value_wan": w(ytd), "reference_wan": ref,
                "label": "年累计不等于上月年累计加本月完成（本月少填）"}
    if not has_prev or (first_month and kind != "magnitude_jump"):
        return None
    if kind == "ytd_decrease":
        # 年累计回退（填成了较早的数）；本月照实填
        prev_ytd = _amounts(p, mi - 1)[1]
        if prev_ytd < 20 or mon > 0.5 * prev_ytd:
            return None
        new = round(rng.uniform(max(mon, 0.6 * prev_ytd), 0.9 * prev_ytd), dec)
        if not (w(mon) <= w(new) < w(prev_ytd) - 2):
            return None
        return {"set": {"completed_ytd_wan": new}, "field": None, "value_wan": w(new), "reference_wan": w(prev_ytd),
                "label": "年累计小于上月年累计"}
    if kind == "cum_below_ytd":
        # 开工累计没有更新，仍是上月的数
        prev_cum = _amounts(p, mi - 1)[2]
        if not (0.5 * ytd <= prev_cum and w(prev_cum) < w(ytd) - 2):
            return None
        return {"set": {"completed_cum_wan": prev_cum}, "field": None, "value_wan": w(prev_cum),
                "reference_wan": w(ytd), "label": "开工累计小于年累计（开工累计未更新，仍为上月数）"}
    if kind == "magnitude_jump":
        prev_cum = _amounts(p, mi - 1)[2]
        variants = ["total", "cum"] if rng.random() < 0.5 else ["cum", "total"]
        for v in variants:
            if v == "total" and style.unit == "万元":
                new = round(p.total / 10000, dec)
                if w(new) > 0 and w(new) * 10 <= w(p.total):
                    return {"set": {"total_investment_wan": new}, "field": "total_investment", "value_wan": w(new),
                            "reference_wan": w(p.total), "label": "总投资按亿元填在万元栏（缩小一万倍）"}
            if v == "cum" and w(prev_cum) > 0 and w(cum) > 0:
                new = round(cum * 10000, dec)
                label = ("开工累计按万元填在亿元栏（放大一万倍）" if style.unit == "亿元"
                         else "开工累计按元填报（放大一万倍）")
                return {"set": {"completed_cum_wan": new}, "field": "cumulative", "value_wan": w(new),
                        "reference_wan": w(prev_cum), "label": label}
        return None
    raise ValueError(kind)


def _plan_inconsistencies(prog: Programme, months: list[int]) -> dict[int, dict]:
    """各月要弄出统计口径疑点的行：{月: {"seeds": {pid: 改法}, "protect": 不加错误、不漏报的 pid}}。

    每种疑点约占当月项目进展行的 INCONSISTENCY_RATE，最后一个月每种至少一个。比较的上月行
    （上月年累计、开工累计、总投资）也受保护，保证该疑点确实能被查出；同一项目不连续两个月被改。"""
    rng = random.Random(f"{prog.seed}|{prog.scale}|统计口径疑点")
    plan: dict[int, dict] = {mi: {"seeds": {}, "protect": set()} for mi in months}
    for mi in months:
        y = mi // 12
        rows = sorted((p for p in prog.year_entries.get(y, []) if p.entries[y].listed_from <= mi
                       and not (mi == prog.end and p.sender == LATE_REPORTER)), key=lambda p: p.pid)
        seeds = plan[mi]["seeds"]
        before = plan.get(mi - 1, {"seeds": {}})["seeds"]
        for kind in INCONSISTENCY_KINDS:
            n = max(1 if mi == prog.end else 0, _poisson(rng, INCONSISTENCY_RATE * len(rows)))
            order = rows[:]
            rng.shuffle(order)
            for p in order:
                if n <= 0:
                    break
                if p.pid in seeds or p.pid in before:
                    continue
                spec = _inconsistency(kind, p, mi, prog.start, STYLES[p.sender], rng)
                if spec is None:
                    continue
                seeds[p.pid] = {"kind": kind, **spec}
                plan[mi]["protect"].add(p.pid)
                if mi - 1 in plan:
                    plan[mi - 1]["protect"].add(p.pid)
                n -= 1
    return plan


def _forced_faults(prog: Programme, months: list[int]) -> dict[tuple[int, str], list[str]]:
    """保证每种错误至少出现一次（小规模样例也有），分散到行数足够的文件中。"""
    out: dict[tuple[int, str], list[str]] = {}
    for i, kind in enumerate(FAULT_KINDS):
        mi = months[(len(months) - 1 - i) % len(months)]
        y = mi // 12
        rows: dict[str, int] = {}
        for p in prog.year_entries.get(y, []):
            if p.entries[y].listed_from <= mi and not (mi == prog.end and p.sender == LATE_REPORTER):
                rows[p.sender] = rows.get(p.sender, 0) + 1
        eligible = [s.sid for s in prog.senders if rows.get(s.sid, 0) - 2 * len(out.get((mi, s.sid), [])) >= 3]
        if not eligible:
            continue
        sid = eligible[(3 + 5 * i) % len(eligible)]
        out.setdefault((mi, sid), []).append(kind)
    return out


def _period_output(prog: Programme, mi: int, out: Path, index: _Index, forced: dict, incons: dict) -> dict:
    y, m = _ym(mi)
    period = _period(mi)
    folder = out / period
    folder.mkdir(parents=True, exist_ok=True)
    report_day = dt.date(*_ym(mi + 1), 5)
    # 本月问题清单
    problems_by_sender: dict[str, list[tuple[Problem, tuple]]] = {}
    open_text: dict[int, str] = {}
    for pr in prog.problems:
        at = problem_at(pr, mi)
        if at is None:
            continue
        p = index.project[pr.pid]
        problems_by_sender.setdefault(p.sender, []).append((pr, at))
        if at[0] != "closed" and pr.pid not in open_text:
            open_text[pr.pid] = pr.text
    reserve_by_sender: dict[str, list[Project]] = {}
    for p in reserve_members(prog, mi):
        reserve_by_sender.setdefault(p.sender, []).append(p)

    files, faults, omissions, inconsistencies = [], [], [], []
    seeds, protect = incons["seeds"], incons["protect"]
    truth = {"progress_rows": 0, "annual_plan_wan": 0.0, "completed_month_wan": 0.0, "completed_ytd_wan": 0.0,
             "completed_cum_wan": 0.0, "reserve_rows": 0, "reserve_total_wan": 0.0,
             "key_projects": {lvl: 0 for lvl in vocab.KEY_LEVEL}, "problems": {s: 0 for s in vocab.PROBLEM_STATE},
             "problem_rows": 0, "milestone_rows": 0, "faulty_rows": 0, "senders_reported": [], "senders_missing": [],
             "senders_empty": [],
             "by_sender": {}, "by_county": {}}
    for sender in prog.senders:
        if mi == prog.end and sender.sid == LATE_REPORTER:
            truth["senders_missing"].append(sender.sid)
            continue
        style = sender.style
        rng = random.Random(f"{prog.seed}|{prog.scale}|{period}|{sender.sid}|报表")
        names = style.sheet_names
        # 项目进展
        new_rows, cont_rows = [], []
        for p in index.by_year_sender.get((y, sender.sid), []):
            e = p.entries[y]
            if e.listed_from > mi:
                continue
            row = _progress_row(p, e, mi, open_text.get(p.pid))
            row["_omit_ok"] = e.listed_from < mi < prog.end and m < 12 and p.pid not in protect
            _blank_some(row, rng)
            if p.pid in seeds:
                row.update(seeds[p.pid]["set"])
                row["_incons"] = seeds[p.pid]
            (new_rows if e.library == "new_start" else cont_rows).append(row)
        new_rows.sort(key=_row_sort_key)
        cont_rows.sort(key=_row_sort_key)
        keyed = [r["_pid"] for r in new_rows + cont_rows if r["_key"]]
        (new_rows, cont_rows), bad, omitted = _inject_faults([new_rows, cont_rows], rng,
                                                             forced.get((mi, sender.sid), []), style, True,
                                                             protect)
        if style.title_order == "place_first":
            p_title = f"{sender.place}{y}年{m}月重点工程及年度建设项目进展情况表"
        else:
            p_title = f"{y}年{m}月{sender.place}重点工程及年度建设项目进展情况表"
        unit_line = f"单位：{style.unit}" if style.unit_line else None
        date_text = report_day.isoformat()
        sheet_p = _data_sheet(names[0], _progress_columns(style), sender, p_title, unit_line, date_text,
                              [("一、新开工项目", new_rows), ("二、续建项目", cont_rows)], True, False)
        # 储备项目
        res = sorted(reserve_by_sender.get(sender.sid, []), key=lambda p: (p.reserve_from, p.code))
        r_rows = []
        for p in res:
            row = _reserve_row(p, mi)
            _blank_some(row, rng)
            r_rows.append(row)
        sheet_r = _data_sheet(names[1], _reserve_columns(style), sender, f"{y}年{m}月{sender.place}储备项目库清单",
                              unit_line, date_text,
                              [("一、企业投资项目", [r for r in r_rows if r["invest_kind"] == "enterprise"]),
                               ("二、政府投资项目", [r for r in r_rows if r["invest_kind"] == "government"])],
                              True, False)
        # 问题清单
        q_rows = [_problem_row(pr, index.project[pr.pid], at, mi)
                  for pr, at in sorted(problems_by_sender.get(sender.sid, []), key=lambda t: t[0].pid_str)]
        sheet_q = _data_sheet(names[2], _problem_columns(style), sender, f"{y}年{m}月{sender.place}项目建设问题清单",
                              None, date_text, [(None, q_rows)], False, True)
        sheets = [sheet_r, sheet_q]
        # 节点计划（有重点工程时）
        m_rows = []
        for pid in keyed:
            m_rows += _milestone_rows(index.project[pid], mi)
        if m_rows:
            sheets.append(_data_sheet(names[3], _milestone_columns(style), sender,
                                      f"{y}年{m}月{sender.place}重点工程节点计划（挂图作战）表", None, date_text,
                                      [(None, m_rows)], False, True))
        if not (sheet_p.data_rows or sheet_r.data_rows or q_rows or m_rows):
            truth["senders_empty"].append(sender.sid)  # 本月没有任何项目，不报送
            continue
        base = f"{y}年{m}月_{sender.sid}_项目进展情况表"
        created = dt.datetime(report_day.year, report_day.month, report_day.day, 9, 30, 0)
        if style.csv_progress:
            planned = [(folder / f"{base}.csv", "csv", [sheet_p]), (folder / f"{base}.xlsx", "xlsx", sheets)]
        else:
            planned = [(folder / f"{base}.xlsx", "xlsx", [sheet_p] + sheets)]
        # 只有表头、没有任何数据行的文件不报送（ETL 会拒收这样的文件）
        entry_files = [(path, fmt, shs) for path, fmt, shs in planned if any(sh.data_rows for sh in shs)]
        for path, fmt, shs in entry_files:
            if fmt == "csv":
                _write_csv(path, shs[0])
            else:
                _write_xlsx(path, shs, style, created, sender.filler, sender.filler_org, p_title)
        kinds = {id(sheet_p): "progress", id(sheet_r): "reserve", id(sheet_q): "problems"}
        for path, fmt, shs in entry_files:
            rel = path.relative_to(out).as_posix()
            files.append({"path": rel, "sender": sender.sid, "period": period, "format": fmt,
                          "encoding": "gbk" if fmt == "csv" else None,
                          "sheets": [{"name": s.name, "kind": kinds.get(id(s), "milestones"), "rows": s.data_rows}
                                     for s in shs]})
        p_file = next((f["path"] for f in files[-len(entry_files):]
                       if any(sh["kind"] == "progress" for sh in f["sheets"])), None)
        # 错误与 truth
        for row in bad:
            vals = {f: (_written_wan(row[f], style) if isinstance(row[f], (int, float)) else row[f])
                    for f in ("annual_plan_wan", "completed_month_wan", "completed_ytd_wan", "completed_cum_wan")}
            faults.append({"file": p_file, "sheet": sheet_p.name, "row": row["_excel_row"],
                           "project_code": index.project[row["_pid"]].code, "kind": row["_fault"],
                           "label": FAULT_LABEL[row["_fault"]], "values": vals})
        for row in omitted:
            omissions.append({"period": period, "sender": sender.sid, "project_code": row["project_code"]})
        for row in new_rows + cont_rows:
            spec = row.get("_incons")
            if spec is not None:
                inconsistencies.append({"file": p_file, "sheet": sheet_p.name, "row": row["_excel_row"],
                                        "period": period, "sender": sender.sid,
                                        "project_code": index.project[row["_pid"]].code, "kind": spec["kind"],
                                        "field": spec["field"], "label": spec["label"],
                                        "value_wan": spec["value_wan"], "reference_wan": spec["reference_wan"]})
        st = {"progress_rows": 0, "annual_plan_wan": 0.0, "completed_month_wan": 0.0, "completed_ytd_wan": 0.0,
              "reserve_rows": len(r_rows), "problem_rows": len(q_rows)}
        for row in new_rows + cont_rows:
            if row.get("_fault") or "_exact_of" in row:
                continue
            st["progress_rows"] += 1
            plan = _written_wan(row["annual_plan_wan"], style)
            mon = _written_wan(row["completed_month_wan"], style)
            ytd = _written_wan(row["completed_ytd_wan"], style)
            cum = _written_wan(row["completed_cum_wan"], style)
            st["annual_plan_wan"] += plan
            st["completed_month_wan"] += mon
            st["completed_ytd_wan"] += ytd
            truth["completed_cum_wan"] += cum
            if row["_key"]:
                truth["key_projects"][row["_key"]] += 1
            c = truth["by_county"].setdefault(row["_county"], {"progress_rows": 0, "annual_plan_wan": 0.0,
                                                               "completed_ytd_wan": 0.0})
            c["progress_rows"] += 1
            c["annual_plan_wan"] += plan
            c["completed_ytd_wan"] += ytd
        truth["faulty_rows"] += len(bad)
        for f in ("progress_rows", "annual_plan_wan", "completed_month_wan", "completed_ytd_wan", "reserve_rows",
                  "problem_rows"):
            truth[f] += st[f]
        truth["reserve_total_wan"] += sum(_written_wan(r["total_investment_wan"], style) for r in r_rows)
        for r in q_rows:
            truth["problems"][r["_state"]] += 1
        truth["milestone_rows"] += len(m_rows)
        truth["senders_reported"].append(sender.sid)
        truth["by_sender"][sender.sid] = {k: round(v, 2) if isinstance(v, float) else v for k, v in st.items()}
    for k in ("annual_plan_wan", "completed_month_wan", "completed_ytd_wan", "completed_cum_wan", "reserve_total_wan"):
        truth[k] = round(truth[k], 2)
    truth["by_county"] = {c: {k: round(v, 2) if isinstance(v, float) else v for k, v in d.items()}
                          for c, d in sorted(truth["by_county"].items())}
    return {"files": files, "faults": faults, "omissions": omissions, "inconsistencies": inconsistencies,
            "truth": truth}


def _remove_previous(out: Path) -> None:
    """删除上一次生成的文件（只删旧 manifest 中列出的）。"""
    old = out / "manifest.json"
    if not old.exists():
        return
    try:
        listed = json.loads(old.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError):
        return
    for f in listed:
        p = out / f.get("path", "")
        if p.is_file() and p.resolve().is_relative_to(out.resolve()):
            p.unlink()
    for d in sorted({(out / f.get("path", "")).parent for f in listed}, reverse=True):
        if d != out and d.is_dir() and not any(d.iterdir()):
            d.rmdir()


_WORKER_STATE: tuple | None = None


def _period_worker(mi: int) -> dict:
    prog, out, index, forced, incons = _WORKER_STATE  # type: ignore[misc]
    return _period_output(prog, mi, out, index, forced, incons[mi])


def _auto_workers(n_months: int) -> int:
    """多进程只在单线程的进程中使用（fork 在多线程进程中不安全，如 Streamlit 内调用时）。"""
    if n_months < 4 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(4, os.cpu_count() or 1, n_months // 2))


def generate(out: Path, seed: int = 2021, scale: float = 1.0, start: str = "2024-01", end: str = "2026-10",
             progress=None, workers: int | None = None) -> dict:
    """生成 start—end 各月、各报送单位的月报表到 out，返回并写出 out/manifest.json。

    progress(done, total) 每写完一个月调用一次（done、total 为月数）。workers 为并行进程数，
    默认自动（单线程进程中按 CPU 数最多 4 个，否则 1 个）；结果与进程数无关。
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    prog = build_programme(seed, scale, start, end)
    people_rng = random.Random(f"{seed}|报送人")
    used = {ld["name"] for ld in prog.leaders}
    for s in prog.senders:
        s.filler = _person(people_rng, used)
        s.reviewer = _person(people_rng, used)
        s.phone = _phone(people_rng)
    _remove_previous(out)
    months = list(range(prog.start, prog.end + 1))
    index = _Index(prog)
    forced = _forced_faults(prog, months)
    incons = _plan_inconsistencies(prog, months)
    files, faults, omissions, inconsistencies, truth = [], [], [], [], {}
    done = 0
    n_workers = _auto_workers(len(months)) if workers is None else max(1, int(workers))
    if progress:
        progress(0, len(months))

    def collect(mi: int, res: dict) -> None:
        nonlocal done
        done += 1
        files.extend(res["files"])
        faults.extend(res["faults"])
        omissions.extend(res["omissions"])
        inconsistencies.extend(res["inconsistencies"])
        truth[_period(mi)] = res["truth"]
        if progress:
            progress(done, len(months))

    if n_workers > 1:
        global _WORKER_STATE
        _WORKER_STATE = (prog, out, index, forced, incons)
        try:
            with multiprocessing.get_context("fork").Pool(n_workers) as pool:
                for mi, res in zip(months, pool.imap(_period_worker, months)):
                    collect(mi, res)
        finally:
            _WORKER_STATE = None
    else:
        for mi in months:
            collect(mi, _period_output(prog, mi, out, index, forced, incons[mi]))
    summary = programme_summary(prog)
    manifest = {
        "generator": "etl.sample",
        "seed": seed,
        "scale": scale,
        "start": _period(prog.start),
        "end": _period(prog.end),
        "months": [_period(mi) for mi in months],
        "money_unit": "万元",
        "senders": [{"name": s.sid, "kind": s.kind, "unit_code": s.unit_code, "filler_org": s.filler_org,
                     "sheet_names": list(s.style.sheet_names),
                     "style": {k: getattr(s.style, k) for k in Style.__dataclass_fields__}}
                    for s in prog.senders],
        "late_reporters": {_period(prog.end): [LATE_REPORTER]},
        "messiness": [{"sender": s, "what": w} for s, w in MESSINESS],
        "files": files,
        "faults": faults,
        "omissions": omissions,
        "inconsistencies": inconsistencies,
        "reopened_problems": [
            {"problem_id": pr.pid_str, "closed_unsatisfied": pr.closed.isoformat(),
             "satisfaction": pr.satisfaction, "reopened": rd.reopened.isoformat(), "deadline": rd.deadline.isoformat(),
             "closed": rd.closed.isoformat() if rd.closed else None, "final_satisfaction": rd.satisfaction}
            for pr in prog.problems for rd in pr.reopens if prog.start <= _mi_of(rd.reopened) <= prog.end],
        "blank_leader_projects": prog.blank_leader_codes,
        "leaders": [{"name": ld["name"], "title": ld["title"], "level": ld["level"]} for ld in prog.leaders],
        "truth_rules": ("progress_rows 等只统计有效行：有错误的行（faults）不计；完全重复的行只计一次；"
                        "统计口径疑点行（inconsistencies）是有效行，照常计入；"
                        "同一项目数据冲突的两行都不计；迟报单位没有文件。金额为文件中实际写的数折成万元。"),
        "truth": truth,
        "calibration": {
            "annual_plan_target_wan": {str(y): round(v, 2) for y, v in prog.targets.items()},
            "county_factor": {divisions.COUNTY_NAME[c]: f for c, f in COUNTY_FACTOR.items()},
            "reserve_target_ratio": RESERVE_TARGET_RATIO,
            "season": list(SEASON),
        },
        "summary": summary,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    (out / "manifest.json").write_text(text, encoding="utf-8")
    return json.loads(text)

"""Domain vocabulary: codes used in the warehouse and the Chinese words users read.

The single place where a library, key level, status or problem state gets its
Chinese name. The ETL maps what the counties write onto these codes; the UI maps
the codes back to these labels.
"""

from __future__ import annotations

# code -> label, in display order
LIBRARY = {
    "reserve": "储备",
    "new_start": "新开工",
    "continuing": "续建",
}
LIBRARY_LONG = {
    "reserve": "储备项目",
    "new_start": "新开工项目",
    "continuing": "续建项目",
}
# what counties write -> code
LIBRARY_WORDS = {
    "储备": "reserve", "储备项目": "reserve", "储备类": "reserve", "谋划": "reserve",
    "新开工": "new_start", "新开工项目": "new_start", "新建": "new_start", "拟新开工": "new_start",
    "续建": "continuing", "续建项目": "continuing", "在建": "continuing",
}

KEY_LEVEL = {
    "province_managed": "省定省管",
    "province_city_managed": "省定市管",
    "municipal": "市级",
}
KEY_LEVEL_WORDS = {
    "省定省管": "province_managed", "省级重点": "province_managed", "省重点": "province_managed",
    "省定市管": "province_city_managed",
    "市级": "municipal", "市级重点": "municipal", "市重点": "municipal", "市级重点工程": "municipal",
}
PROVINCIAL_LEVELS = ("province_managed", "province_city_managed")

SECTORS = ["工业", "农业", "服务业", "科技创新平台", "基础设施", "社会民生"]
SECTOR_WORDS = {
    "工业项目": "工业", "制造业": "工业", "农业项目": "农业", "现代农业": "农业",
    "服务业项目": "服务业", "现代服务业": "服务业", "科创平台": "科技创新平台",
    "基础设施项目": "基础设施", "民生": "社会民生", "社会事业": "社会民生",
}
SIX_NEW = ["新基建", "新技术", "新材料", "新装备", "新产品", "新业态"]
TWO_NEW_ONE_HEAVY = ["新型基础设施", "新型城镇化", "交通水利等重大工程"]
TWO_NEW_WORDS = {"交通、水利等重大工程": "交通水利等重大工程", "重大工程": "交通水利等重大工程"}

INVEST_KIND = {"enterprise": "企业投资", "government": "政府投资"}
INVEST_KIND_WORDS = {"企业投资": "enterprise", "企业": "enterprise", "社会投资": "enterprise",
                     "政府投资": "government", "政府": "government", "财政投资": "government"}

STATUS = {"red": "红", "yellow": "黄", "green": "绿"}
STATUS_COLOR = {"red": "#d62728", "yellow": "#f2b200", "green": "#2ca02c"}

PROBLEM_TYPES = ["用地", "资金", "审批", "水电气暖接入", "征地拆迁", "其他"]
PROBLEM_TYPE_WORDS = {"土地": "用地", "要素保障": "用地", "融资": "资金", "手续": "审批", "前期手续": "审批",
                      "水电气": "水电气暖接入", "水电气暖": "水电气暖接入", "拆迁": "征地拆迁", "征拆": "征地拆迁"}
PROBLEM_STATE = {
    "open": "待交办",
    "assigned": "已交办",
    "in_progress": "办理中",
    "escalated": "督办",
    "closed": "已办结",
}
PROBLEM_STATE_WORDS = {
    "待交办": "open", "新发现": "open", "未交办": "open",
    "已交办": "assigned", "交办": "assigned",
    "办理中": "in_progress", "推进中": "in_progress", "正在办理": "in_progress",
    "督办": "escalated", "已督办": "escalated", "挂牌督办": "escalated",
    "已办结": "closed", "办结": "closed", "已解决": "closed", "销号": "closed", "已销号": "closed",
}
SATISFACTION = ["满意", "基本满意", "不满意"]

YES_WORDS = {"是", "√", "Y", "y", "yes", "1", "TRUE", "True", "true"}
NO_WORDS = {"否", "×", "N", "n", "no", "0", "FALSE", "False", "false", ""}

# ---------------------------------------------------------------- approvals and factor guarantees

# the approval chain in order (code -> label); items a county writes otherwise are kept as written
APPROVAL_ITEM = {
    "project": "立项（审批/核准/备案）",
    "land_site": "用地预审与选址",
    "planning": "规划许可",
    "eia": "环评",
    "energy": "节能审查",
    "construction": "施工许可",
    "acceptance": "竣工验收",
    "property": "不动产登记",
    "other": "其他事项",
}
APPROVAL_ITEM_WORDS = {
    **{w: "project" for w in ("立项", "立项审批", "项目审批", "项目核准", "核准", "备案", "项目备案", "赋码备案",
                              "立项备案", "立项批复", "可研批复", "可行性研究报告批复", "企业投资项目备案",
                              "立项审批/核准/备案", "立项（审批/核准/备案）", "审批/核准/备案")},
    **{w: "land_site" for w in ("用地预审与选址", "用地预审", "选址意见书", "用地预审与选址意见书", "用地预审和选址")},
    **{w: "planning" for w in ("规划许可", "建设用地规划许可", "建设工程规划许可", "用地规划许可", "工程规划许可",
                               "规划许可证", "建设用地规划许可证", "建设工程规划许可证")},
    **{w: "eia" for w in ("环评", "环境影响评价", "环评批复", "环境影响评价审批", "环评审批")},
    **{w: "energy" for w in ("节能审查", "能评", "节能评估", "节能审查（能评）", "能评审查")},
    **{w: "construction" for w in ("施工许可", "施工许可证", "建筑工程施工许可", "建筑工程施工许可证")},
    **{w: "acceptance" for w in ("竣工验收", "竣工验收备案", "联合验收", "竣工联合验收")},
    **{w: "property" for w in ("不动产登记", "不动产证", "不动产权证", "不动产权证书", "不动产首次登记")},
}
APPROVAL_STATE = {"not_accepted": "未受理", "in_progress": "办理中", "done": "已办结"}
APPROVAL_STATE_WORDS = {
    "未受理": "not_accepted", "待受理": "not_accepted", "未申报": "not_accepted",
    "办理中": "in_progress", "受理中": "in_progress", "审批中": "in_progress", "已受理": "in_progress",
    "正在办理": "in_progress",
    "已办结": "done", "办结": "done", "已批复": "done", "已取得": "done", "已完成": "done", "已办理": "done",
}

# factor kinds (code -> label), their canonical unit, and the units a county may write with the
# factor that converts them (a unit not listed here refuses the row)
FACTOR_KIND = {"land": "用地", "energy": "用能", "emission": "排污总量", "funding": "资金"}
FACTOR_KIND_WORDS = {
    **{w: "land" for w in ("用地", "土地", "用地指标", "建设用地", "土地指标", "用地保障")},
    **{w: "energy" for w in ("用能", "能耗", "能耗指标", "用能指标", "能源", "用能保障")},
    **{w: "emission" for w in ("排污总量", "排污", "排污权", "污染物排放总量", "总量指标", "排放总量")},
    **{w: "funding" for w in ("资金", "资金保障", "融资", "资金需求")},
}
FACTOR_UNIT = {"land": "亩", "energy": "吨标准煤", "emission": "吨", "funding": "万元"}
FACTOR_UNIT_WORDS = {
    "land": {"亩": 1.0, "公顷": 15.0},
    "energy": {"吨标准煤": 1.0, "吨标煤": 1.0, "tce": 1.0, "万吨标准煤": 10000.0, "万吨标煤": 10000.0},
    "emission": {"吨": 1.0, "t": 1.0, "吨/年": 1.0, "千克": 0.001, "公斤": 0.001},
    "funding": {"万元": 1.0, "亿元": 10000.0, "元": 0.0001},
}
SEVERITY = {"ordinary": "一般问题", "major": "重大问题"}
SEVERITY_WORDS = {"一般": "ordinary", "一般问题": "ordinary", "普通": "ordinary",
                  "重大": "major", "重大问题": "major", "重要": "major", "重点": "major"}

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

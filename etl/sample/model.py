"""项目盘子的数据结构：项目、年度计划、节点、问题及其重新办理、整个盘子。"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from etl.sample.catalogue import Tpl
from etl.sample.senders import Sender


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
    major: bool = False          # 重大问题（重点工程的，纳入13710督办）


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
    approvals: dict[int, list] = field(default_factory=dict)   # pid → 审批事项（etl.sample.approvals）
    factors: dict[int, list] = field(default_factory=dict)     # pid → 要素保障

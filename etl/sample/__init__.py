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

各部分所在的模块：
  calibration      标定参数（规模、增长、季节、县区和部门的权重与系数、错误率等）
  catalogue        项目名称模板、地名字号、人名、问题案例、形象进度用语
  senders          报送单位及其填报习惯（表头、日期、金额单位、县区写法）
  model, util      盘子的数据结构；月份、日期、随机抽样等小工具
  programme, geo   构造项目盘子（新开工、储备、施工模拟、标定、重点工程、包联、坐标、节点）
  problems         问题清单的办理过程
  approvals        审批链条（事项、部门、受理、办结、时限、承诺制、代办）、要素需求与落实，13710 的交办、答复时间
  progress_sheet, reserve_sheet, problem_sheet, milestone_sheet, approval_sheet（审批事项、要素保障）
                   每种报表的表头写法和每月的行
  faults           已知方式的错误行、漏报、留空和统计口径疑点
  writers          写 xlsx / csv（标题、合并表头、小计合计、落款）
  generate         逐月、逐单位写文件和 manifest.json
"""

from etl.sample.calibration import FAULT_RATE, INCONSISTENCY_RATE, LATE_REPORTER, REOPEN_STAY_OPEN_MONTHS
from etl.sample.faults import FAULT_KINDS, INCONSISTENCY_KINDS, _plan_inconsistencies
from etl.sample.generate import generate
from etl.sample.geo import point_county
from etl.sample.problem_sheet import _problem_row
from etl.sample.problems import problem_at, problem_state
from etl.sample.programme import annual_members, build_programme, programme_summary, reserve_members
from etl.sample.util import _mi_of, _month_end, _period
from etl.sample.writers import MONEY_FIELDS

__all__ = ["FAULT_KINDS", "FAULT_RATE", "INCONSISTENCY_KINDS", "INCONSISTENCY_RATE", "LATE_REPORTER", "MONEY_FIELDS",
           "REOPEN_STAY_OPEN_MONTHS", "_mi_of", "_month_end", "_period", "_plan_inconsistencies", "_problem_row",
           "annual_members", "build_programme", "generate", "point_county", "problem_at", "problem_state",
           "programme_summary", "reserve_members"]

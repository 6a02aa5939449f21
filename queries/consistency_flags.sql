-- scope: project
-- Figures the statistics office would question (待核实), for the projects reported in $period:
-- one row per question. Nothing here is declared wrong; each row is a question for the sender.
--   ytd_vs_months   年累计 ≠ 上月年累计 + 本月完成 (or, in January, ≠ 本月完成)
--   ytd_decrease    年累计 below last month's 年累计
--   cum_below_ytd   开工累计 below 年累计
--   month_over_half 本月完成 above half the 年度计划
--   magnitude_jump  年度计划 (same year), 总投资 or 开工累计 ×10 or ÷10 against the previous report
-- value_wan is the questioned figure, reference_wan what it is compared with.
-- $unit: a county/zone code or null for the whole city. The questions of every month are built
-- at load time (etl/sql/mart_consistency_month.sql).
with final as (
    select
        period,
        unit_code,
        unit_name,
        unit_sort,
        project_code,
        name,
        sender,
        rule,
        field,
        value_wan,
        reference_wan,
        prev_period,
        prev_ytd_wan,
        completed_month_wan,
        completed_ytd_wan,
        annual_plan_wan,
        rule_seq
    from mart_consistency_month
    where period = $period
      and ($unit is null or unit_code = $unit)
)

select * exclude (rule_seq)
from final
order by unit_sort nulls last, project_code, rule_seq, field

-- Figures the statistics office would question (待核实) in every month, built at load time for
-- queries/consistency_flags.sql (which reads one month of one unit): one row per question about
-- an annual project's report. Nothing here is declared wrong; each row is a question for the sender.
--   ytd_vs_months   年累计 ≠ 上月年累计 + 本月完成 (or, in January, ≠ 本月完成)
--   ytd_decrease    年累计 below last month's 年累计
--   cum_below_ytd   开工累计 below 年累计
--   month_over_half 本月完成 above half the 年度计划
--   magnitude_jump  年度计划 (same year), 总投资 or 开工累计 ×10 or ÷10 against the previous report
-- value_wan is the questioned figure, reference_wan what it is compared with; rule_seq the rules'
-- order above; unit_sort the unit's place in the official order.
-- mart_periods (etl/warehouse.py): the months being rebuilt.
create or replace temp view mart_consistency_month_build as

with reports as (
    -- each project's previous report (prev_*) is kept with its month in mart_annual_month
    select
        period,
        project_code,
        name,
        unit_code,
        unit_name,
        sender,
        annual_plan_wan,
        completed_month_wan,
        completed_ytd_wan,
        completed_cum_wan,
        total_investment_wan,
        prev_period,
        prev_plan_wan,
        prev_ytd_wan,
        prev_cum_wan,
        prev_total_wan
    from mart_annual_month
    where cut = 'all'
      and period in (select period from mart_periods)
),

current as (
    select
        *,
        -- amounts arrive rounded (亿元 with two decimals from some counties): 1万元 is no difference
        1.0 as tolerance_wan,
        coalesce(prev_period = period - interval 1 month and month(period) > 1, false) as prev_is_last_month
    from reports
),

ytd_vs_months as (
    select
        *,
        'ytd_vs_months' as rule,
        null as field,
        completed_ytd_wan as value_wan,
        case when month(period) = 1 then completed_month_wan
             else prev_ytd_wan + completed_month_wan end as reference_wan
    from current
    where completed_ytd_wan is not null
      and completed_month_wan is not null
      and (month(period) = 1 or (prev_is_last_month and prev_ytd_wan is not null))
      and abs(completed_ytd_wan - case when month(period) = 1 then completed_month_wan
                                       else prev_ytd_wan + completed_month_wan end) > tolerance_wan
),

ytd_decrease as (
    select *, 'ytd_decrease' as rule, null as field, completed_ytd_wan as value_wan, prev_ytd_wan as reference_wan
    from current
    where prev_is_last_month
      and completed_ytd_wan < prev_ytd_wan - tolerance_wan
),

cum_below_ytd as (
    select *, 'cum_below_ytd' as rule, null as field, completed_cum_wan as value_wan,
           completed_ytd_wan as reference_wan
    from current
    where completed_cum_wan < completed_ytd_wan - tolerance_wan
),

month_over_half as (
    select *, 'month_over_half' as rule, null as field, completed_month_wan as value_wan,
           annual_plan_wan as reference_wan
    from current
    where annual_plan_wan > 0
      and completed_month_wan > 0.5 * annual_plan_wan
),

jumps as (
    select *, 'magnitude_jump' as rule, 'annual_plan' as field, annual_plan_wan as value_wan,
           prev_plan_wan as reference_wan
    from current
    where year(prev_period) = year(period) and prev_plan_wan > 0 and annual_plan_wan > 0
      and (annual_plan_wan >= 10 * prev_plan_wan or annual_plan_wan * 10 <= prev_plan_wan)
    union all
    select *, 'magnitude_jump', 'total_investment', total_investment_wan, prev_total_wan
    from current
    where prev_total_wan > 0 and total_investment_wan > 0
      and (total_investment_wan >= 10 * prev_total_wan or total_investment_wan * 10 <= prev_total_wan)
    union all
    select *, 'magnitude_jump', 'cumulative', completed_cum_wan, prev_cum_wan
    from current
    where prev_cum_wan > 0 and completed_cum_wan > 0
      and (completed_cum_wan >= 10 * prev_cum_wan or completed_cum_wan * 10 <= prev_cum_wan)
),

flags as (
    select * from ytd_vs_months
    union all by name
    select * from ytd_decrease
    union all by name
    select * from cum_below_ytd
    union all by name
    select * from month_over_half
    union all by name
    select * from jumps
),

final as (
    select
        f.period,
        f.unit_code,
        f.unit_name,
        u.sort_order as unit_sort,
        f.project_code,
        f.name,
        f.sender,
        f.rule,
        f.field,
        f.value_wan,
        f.reference_wan,
        f.prev_period,
        f.prev_ytd_wan,
        f.completed_month_wan,
        f.completed_ytd_wan,
        f.annual_plan_wan,
        case f.rule when 'ytd_vs_months' then 1 when 'ytd_decrease' then 2 when 'cum_below_ytd' then 3
                    when 'month_over_half' then 4 else 5 end as rule_seq
    from flags as f
    left join units as u on u.code = f.unit_code
)


select * from final

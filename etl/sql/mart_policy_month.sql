-- The sums behind the policy's measurable targets (queries/policy_targets.sql), for every month,
-- once for the whole city (is_city) and once for each county / development zone, so the
-- overview's targets read one row for the month and one for the same month a year before.
-- Aggregates only, no project rows: published to everyone.
--   reserve_total_wan: the reserve projects' total investment; plan_wan: the annual projects' plan;
--   industry_ytd_wan / six_new_industry_ytd_wan / zone_industry_ytd_wan: the annual industrial
--   projects' 年累计, of them the 六新 ones and those in a development zone;
--   signed / signed_started: investment-promotion projects signed this year (reported in a month
--   of the year up to this one, in the unit) and those of them started this year.
-- mart_periods (etl/warehouse.py): the months being rebuilt.
create or replace temp view mart_policy_month_build as

with months as (
    select period from mart_periods
),

sums as (
    select
        period,
        unit_code,
        grouping(unit_code) = 1 as is_city,
        sum(total_investment_wan) filter (where library = 'reserve') as reserve_total_wan,
        sum(annual_plan_wan) filter (where library <> 'reserve') as plan_wan,
        sum(completed_ytd_wan) filter (where library <> 'reserve' and sector = '工业' and six_new_type is not null)
            as six_new_industry_ytd_wan,
        sum(completed_ytd_wan) filter (where library <> 'reserve' and sector = '工业') as industry_ytd_wan,
        sum(completed_ytd_wan) filter (where library <> 'reserve' and sector = '工业' and zone_code is not null)
            as zone_industry_ytd_wan
    from project_month
    where period in (select period from months)
    group by grouping sets ((period, unit_code), (period))
),

-- each promotion project signed in the month's year, over the year's months up to it
signed_projects as (
    select
        m.period,
        p.project_code,
        p.unit_code,
        grouping(p.unit_code) = 1 as is_city,
        bool_or(p.actual_start is not null and year(p.actual_start) = year(m.period)
                or p.library <> 'reserve' and p.completed_ytd_wan > 0 and year(p.signed_date) = year(m.period))
            as started_this_year
    from months as m
    join project_month as p
        on p.period between date_trunc('year', m.period) and m.period
       and year(p.signed_date) = year(m.period)
    where p.is_promotion
    group by grouping sets ((m.period, p.project_code, p.unit_code), (m.period, p.project_code))
),

signed as (
    select
        period,
        unit_code,
        is_city,
        count(*) as signed,
        count(*) filter (where started_this_year) as signed_started
    from signed_projects
    group by all
),

final as (
    select
        coalesce(s.period, g.period) as period,
        coalesce(s.unit_code, g.unit_code) as unit_code,
        coalesce(s.is_city, g.is_city) as is_city,
        s.reserve_total_wan,
        s.plan_wan,
        s.six_new_industry_ytd_wan,
        s.industry_ytd_wan,
        s.zone_industry_ytd_wan,
        coalesce(g.signed, 0) as signed,
        coalesce(g.signed_started, 0) as signed_started
    from sums as s
    -- a unit may have signed projects in earlier months of the year and no row this month
    full join signed as g
        on g.period = s.period and g.is_city = s.is_city and g.unit_code is not distinct from s.unit_code
)

select * from final

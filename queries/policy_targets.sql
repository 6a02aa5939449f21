-- scope: public
-- The policy's measurable targets for one month, as target / actual / met.
with pm as not materialized (
    select * from project_month where ($unit is null or unit_code = $unit)
),

-- one pass over the month (and one over the same month last year) for every ratio
this_month as (
    select
        sum(total_investment_wan) filter (where library = 'reserve') as reserve_total_wan,
        sum(annual_plan_wan) filter (where library <> 'reserve') as plan_wan,
        sum(completed_ytd_wan) filter (where library <> 'reserve' and sector = '工业' and six_new_type is not null)
            as six_new_industry_ytd_wan,
        sum(completed_ytd_wan) filter (where library <> 'reserve' and sector = '工业') as industry_ytd_wan,
        sum(completed_ytd_wan) filter (where library <> 'reserve' and sector = '工业' and zone_code is not null)
            as zone_industry_ytd_wan
    from pm
    where period = $period
),

last_year as (
    select sum(completed_ytd_wan) as zone_industry_ytd_wan
    from pm
    where period = $period - interval 1 year and library <> 'reserve'
      and zone_code is not null and sector = '工业'
),

ratios as materialized (
    select
        t.reserve_total_wan / nullif(t.plan_wan, 0) as reserve_ratio,
        t.six_new_industry_ytd_wan / nullif(t.industry_ytd_wan, 0) as six_new_share,
        t.zone_industry_ytd_wan / nullif(l.zone_industry_ytd_wan, 0) - 1 as zone_industry_growth
    from this_month as t, last_year as l
),

signed as (
    -- investment-promotion projects signed this year, and those of them already started this year
    select
        count(distinct project_code) as signed,
        count(distinct project_code) filter (where started_this_year) as signed_started
    from (
        select
            project_code,
            bool_or(actual_start is not null and year(actual_start) = year($period)
                    or library <> 'reserve' and completed_ytd_wan > 0 and year(signed_date) = year($period))
                as started_this_year
        from pm
        where is_promotion and year(signed_date) = year($period)
          and period between date_trunc('year', $period) and $period
        group by project_code
    )
),

final as (
    select 'reserve_ratio' as target, '储备规模 / 年度计划' as short_label,
           '储备项目总投资不低于年度计划投资的5倍' as label,
           5.0 as goal, r.reserve_ratio as actual, 'times' as unit, r.reserve_ratio >= 5.0 as met
    from ratios as r
    union all
    select 'six_new_share', '“六新”占工业投资', '“六新”投资占工业投资约三分之一',
           1 / 3, r.six_new_share, 'share', r.six_new_share >= 0.3
    from ratios as r
    union all
    select 'zone_industry_growth', '开发区工业投资增长', '开发区工业投资同比增长20%以上',
           0.20, r.zone_industry_growth, 'growth', r.zone_industry_growth >= 0.20
    from ratios as r
    union all
    select 'signed_started', '当年签约当年开工', '招商引资项目当年签约当年开工约50%',
           0.50, s.signed_started / nullif(s.signed, 0), 'share', s.signed_started / nullif(s.signed, 0) >= 0.45
    from signed as s
)

select * from final

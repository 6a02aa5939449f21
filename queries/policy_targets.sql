-- scope: public
-- The policy's measurable targets for one month, as target / actual / met.
-- The month's sums and the same month's a year before, built at load time per unit and for the
-- city (etl/sql/mart_policy_month.sql). $unit: a county/zone code or null for the whole city.
with sums as not materialized (
    select *
    from mart_policy_month
    where case when $unit is null then is_city else not is_city and unit_code = $unit end
),

this_month as (
    select
        max(reserve_total_wan) as reserve_total_wan,
        max(plan_wan) as plan_wan,
        max(six_new_industry_ytd_wan) as six_new_industry_ytd_wan,
        max(industry_ytd_wan) as industry_ytd_wan,
        max(zone_industry_ytd_wan) as zone_industry_ytd_wan,
        max(signed) as signed,
        max(signed_started) as signed_started
    from sums
    where period = $period
),

last_year as (
    select max(zone_industry_ytd_wan) as zone_industry_ytd_wan
    from sums
    where period = $period - interval 1 year
),

ratios as materialized (
    select
        t.reserve_total_wan / nullif(t.plan_wan, 0) as reserve_ratio,
        t.six_new_industry_ytd_wan / nullif(t.industry_ytd_wan, 0) as six_new_share,
        t.zone_industry_ytd_wan / nullif(l.zone_industry_ytd_wan, 0) - 1 as zone_industry_growth,
        t.signed_started / nullif(t.signed, 0) as signed_started_share
    from this_month as t, last_year as l
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
           0.50, r.signed_started_share, 'share', r.signed_started_share >= 0.45
    from ratios as r
)

select * from final

-- scope: public
-- Year-to-date completion month by month, this year against last year, with the plan.
-- each month's sums per unit, built at load time (etl/sql/mart_progress_month.sql)
with annual as (
    select period, plan_wan, ytd_wan
    from mart_progress_month
    where cut = coalesce($library, 'all') and dim = 'unit'
      and ($unit is null or unit_code = $unit)
      and year(period) in (year($period), year($period) - 1)
),

by_month as (
    select
        year(period) as year,
        month(period) as month,
        sum(plan_wan) as plan_wan,
        sum(ytd_wan) as ytd_wan
    from annual
    group by all
),

this_year as (
    select month, plan_wan, ytd_wan from by_month where year = year($period) and month <= month($period)
),

last_year as (
    select month, ytd_wan as ytd_last_year_wan from by_month where year = year($period) - 1
),

plan as (
    -- the plan of the chosen month stands for the year
    select plan_wan as year_plan_wan from this_year where month = month($period)
),

months as (
    select range as month from range(1, 13)
),

final as (
    select
        m.month,
        p.year_plan_wan * m.month / 12 as schedule_wan,
        t.ytd_wan,
        l.ytd_last_year_wan,
        p.year_plan_wan
    from months as m
    cross join plan as p
    left join this_year as t using (month)
    left join last_year as l using (month)
)

select * from final order by month

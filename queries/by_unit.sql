-- scope: public
-- Plan and completion for one month by county / development zone, in the official order.
-- schedule: the 序时进度 the 红黄绿 rule used for the month (linear or seasonal, etl/status.py)
with schedule as (
    select coalesce(max(time_progress), month($period) / 12.0) as time_progress
    from period_schedule
    where period = $period
),

-- the month's and last year's sums per unit, built at load time (etl/sql/mart_progress_month.sql)
rollup as not materialized (
    select *
    from mart_progress_month
    where cut = coalesce($library, 'all') and dim = 'unit'
),

this_month as (
    select unit_code, projects, plan_wan, month_wan, ytd_wan, red, yellow, green
    from rollup
    where period = $period
),

last_year as (
    select unit_code, ytd_wan as ytd_last_year_wan
    from rollup
    where period = $period - interval 1 year
),

final as (
    select
        u.code as unit_code,
        u.name as unit_name,
        u.kind as unit_kind,
        u.sort_order,
        coalesce(t.projects, 0) as projects,
        t.plan_wan,
        t.month_wan,
        t.ytd_wan,
        t.ytd_wan / nullif(t.plan_wan, 0) as completion_rate,
        (s.time_progress - t.ytd_wan / nullif(t.plan_wan, 0)) * 100 as gap_pts,
        l.ytd_last_year_wan,
        t.ytd_wan / nullif(l.ytd_last_year_wan, 0) - 1 as yoy_growth,
        coalesce(t.red, 0) as red,
        coalesce(t.yellow, 0) as yellow,
        coalesce(t.green, 0) as green
    from units as u
    cross join schedule as s
    left join this_month as t on t.unit_code = u.code
    left join last_year as l on l.unit_code = u.code
    where u.kind <> 'city' or t.projects > 0
)

select * from final order by sort_order

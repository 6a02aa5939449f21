-- scope: public
-- Headline figures for one month: plan vs done, 序时进度, year-on-year, counts, 红黄绿.
-- $unit: a county/zone code or null for the whole city; $library: new_start, continuing,
-- key or null for all annual projects.
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
      and ($unit is null or unit_code = $unit)
),

this_month as (
    select
        sum(plan_wan) as plan_wan,
        sum(month_wan) as month_wan,
        sum(ytd_wan) as ytd_wan,
        cast(coalesce(sum(projects), 0) as bigint) as projects,
        cast(coalesce(sum(new_start), 0) as bigint) as new_start,
        cast(coalesce(sum(continuing), 0) as bigint) as continuing,
        cast(coalesce(sum(key_projects), 0) as bigint) as key_projects,
        cast(coalesce(sum(due_to_start), 0) as bigint) as due_to_start,
        cast(coalesce(sum(started), 0) as bigint) as started,
        cast(coalesce(sum(red), 0) as bigint) as red,
        cast(coalesce(sum(yellow), 0) as bigint) as yellow,
        cast(coalesce(sum(green), 0) as bigint) as green,
        cast(coalesce(sum(key_red), 0) as bigint) as key_red,
        cast(coalesce(sum(key_yellow), 0) as bigint) as key_yellow,
        cast(coalesce(sum(key_green), 0) as bigint) as key_green
    from rollup
    where period = $period
),

last_year as (
    select sum(ytd_wan) as ytd_last_year_wan
    from rollup
    where period = $period - interval 1 year
),

reserve as (
    select count(*) as reserve_projects, sum(total_investment_wan) as reserve_total_wan
    from mart_project_month
    where library = 'reserve' and period = $period
      and ($unit is null or unit_code = $unit)
)

select
    t.*,
    s.time_progress as time_progress,
    t.ytd_wan / nullif(t.plan_wan, 0) as completion_rate,
    (s.time_progress - t.ytd_wan / nullif(t.plan_wan, 0)) * 100 as gap_pts,
    l.ytd_last_year_wan,
    t.ytd_wan / nullif(l.ytd_last_year_wan, 0) - 1 as yoy_growth,
    t.started / nullif(t.due_to_start, 0) as start_rate,
    r.reserve_projects,
    r.reserve_total_wan
from this_month as t, last_year as l, reserve as r, schedule as s

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

annual as not materialized (
    select *
    from mart_annual_month
    where cut = coalesce($library, 'all')
      and ($unit is null or unit_code = $unit)
),

this_month as (
    select
        sum(annual_plan_wan) as plan_wan,
        sum(completed_month_wan) as month_wan,
        sum(completed_ytd_wan) as ytd_wan,
        count(*) as projects,
        count(*) filter (where library = 'new_start') as new_start,
        count(*) filter (where library = 'continuing') as continuing,
        count(*) filter (where is_key) as key_projects,
        count(*) filter (where library = 'new_start' and planned_start <= last_day($period)) as due_to_start,
        count(*) filter (where library = 'new_start' and planned_start <= last_day($period)
                         and (actual_start is not null or completed_ytd_wan > 0)) as started,
        count(*) filter (where status = 'red') as red,
        count(*) filter (where status = 'yellow') as yellow,
        count(*) filter (where status = 'green') as green,
        count(*) filter (where is_key and status = 'red') as key_red,
        count(*) filter (where is_key and status = 'yellow') as key_yellow,
        count(*) filter (where is_key and status = 'green') as key_green
    from annual
    where period = $period
),

last_year as (
    select sum(completed_ytd_wan) as ytd_last_year_wan
    from annual
    where period = $period - interval 1 year
),

reserve as (
    select count(*) as reserve_projects, sum(total_investment_wan) as reserve_total_wan
    from project_month
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

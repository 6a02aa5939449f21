-- scope: public
-- Plan and completion for one month cut by one dimension, with last year's same month.
-- $dim: unit (county / development zone), sector, library, key_level, six_new, invest_kind.
-- $unit: a county/zone code or null for the whole city; $library: new_start, continuing, key or null.
-- schedule: the 序时进度 the 红黄绿 rule used for the month (linear or seasonal, etl/status.py)
with schedule as (
    select coalesce(max(time_progress), month($period) / 12.0) as time_progress
    from period_schedule
    where period = $period
),

-- the month's and last year's sums per unit and group, built at load time
-- (etl/sql/mart_progress_month.sql), summed over the units in view
rollup as not materialized (
    select *
    from mart_progress_month
    where cut = coalesce($library, 'all') and dim = $dim
      and ($unit is null or unit_code = $unit)
),

this_month as (
    select
        group_key,
        cast(sum(projects) as bigint) as projects,
        sum(plan_wan) as plan_wan,
        sum(month_wan) as month_wan,
        sum(ytd_wan) as ytd_wan,
        cast(sum(red) as bigint) as red,
        cast(sum(yellow) as bigint) as yellow,
        cast(sum(green) as bigint) as green
    from rollup
    where period = $period
    group by group_key
),

last_year as (
    select group_key, sum(ytd_wan) as ytd_last_year_wan
    from rollup
    where period = $period - interval 1 year
    group by group_key
),

final as (
    select
        t.group_key,
        u.name as unit_name,
        u.sort_order as unit_sort,
        t.projects,
        t.plan_wan,
        t.month_wan,
        t.ytd_wan,
        t.ytd_wan / nullif(t.plan_wan, 0) as completion_rate,
        s.time_progress as time_progress,
        (s.time_progress - t.ytd_wan / nullif(t.plan_wan, 0)) * 100 as gap_pts,
        l.ytd_last_year_wan,
        t.ytd_wan / nullif(l.ytd_last_year_wan, 0) - 1 as yoy_growth,
        t.red,
        t.yellow,
        t.green
    from this_month as t
    cross join schedule as s
    left join last_year as l on l.group_key is not distinct from t.group_key
    left join units as u on $dim = 'unit' and u.code = t.group_key
)

select * from final order by unit_sort nulls last, group_key nulls last

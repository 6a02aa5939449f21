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

annual as not materialized (
    select
        *,
        case $dim
            when 'unit' then unit_code
            when 'sector' then sector
            when 'library' then library
            when 'key_level' then key_level
            when 'six_new' then six_new_type
            when 'invest_kind' then invest_kind
        end as group_key
    from mart_annual_month
    where cut = coalesce($library, 'all')
      and ($unit is null or unit_code = $unit)
),

this_month as (
    select
        group_key,
        count(*) as projects,
        sum(annual_plan_wan) as plan_wan,
        sum(completed_month_wan) as month_wan,
        sum(completed_ytd_wan) as ytd_wan,
        count(*) filter (where status = 'red') as red,
        count(*) filter (where status = 'yellow') as yellow,
        count(*) filter (where status = 'green') as green
    from annual
    where period = $period
    group by group_key
),

last_year as (
    select group_key, sum(completed_ytd_wan) as ytd_last_year_wan
    from annual
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

-- scope: public
-- 比亮晒 metrics of every county/district and development zone for one month (the inputs of
-- the composite score in ui/league.py; weights in config/league.toml), from the rows built at
-- load time (etl/sql/mart_league_month.sql). Units without annual projects in the month come
-- back with projects = 0 and are not ranked.
-- schedule: the 序时进度 the 红黄绿 rule used for the month (linear or seasonal, etl/status.py)
with schedule as (
    select coalesce(max(time_progress), month($period) / 12.0) as time_progress
    from period_schedule
    where period = $period
),

m as (
    select * from mart_league_month where period = $period and unit_kind <> 'department'
),

final as (
    select
        u.code as unit_code,
        u.name as unit_name,
        u.kind as unit_kind,
        u.sort_order,
        coalesce(m.projects, 0) as projects,
        m.plan_wan,
        m.ytd_wan,
        m.completion_rate,
        s.time_progress as time_progress,
        m.ytd_last_year_wan,
        m.yoy_growth,
        coalesce(m.due_to_start, 0) as due_to_start,
        coalesce(m.started, 0) as started,
        m.start_rate,
        coalesce(m.key_projects, 0) as key_projects,
        coalesce(m.key_green, 0) as key_green,
        m.key_green_share,
        coalesce(m.problems, 0) as problems,
        coalesce(m.cleared, 0) as cleared,
        m.closure_rate,
        coalesce(m.overdue_problems, 0) as overdue_problems,
        coalesce(m.reserve_projects, 0) as reserve_projects,
        coalesce(m.reserve_total_wan, 0) as reserve_total_wan,
        m.reserve_ratio,
        coalesce(m.signed, 0) as signed,
        coalesce(m.signed_started, 0) as signed_started,
        m.signed_started_ratio
    from units as u
    cross join schedule as s
    left join m on m.unit_code = u.code
    where u.kind in ('county', 'zone')
)

select * from final order by sort_order

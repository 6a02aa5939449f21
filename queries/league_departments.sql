-- scope: public
-- 比亮晒 metrics of the responsible departments (责任单位) for one month: the projects they
-- lead (annual and key projects) and the problems assigned to them, from the rows built at
-- load time (etl/sql/mart_league_month.sql). Reserve and signed-and-started ratios belong to
-- counties, not departments.
-- schedule: the 序时进度 the 红黄绿 rule used for the month (linear or seasonal, etl/status.py)
with schedule as (
    select coalesce(max(time_progress), month($period) / 12.0) as time_progress
    from period_schedule
    where period = $period
),

final as (
    select
        m.unit_name,
        m.unit_kind,
        m.projects,
        m.plan_wan,
        m.ytd_wan,
        m.completion_rate,
        s.time_progress as time_progress,
        m.ytd_last_year_wan,
        m.yoy_growth,
        m.due_to_start,
        m.started,
        m.start_rate,
        m.key_projects,
        m.key_green,
        m.key_green_share,
        m.problems,
        m.cleared,
        m.closure_rate,
        m.overdue_problems
    from mart_league_month as m
    cross join schedule as s
    where m.period = $period and m.unit_kind = 'department'
)

select * from final order by unit_name

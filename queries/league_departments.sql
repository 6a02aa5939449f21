-- scope: public
-- 比亮晒 metrics of the responsible departments (责任单位) for one month: the projects they
-- lead (annual and key projects) and the problems assigned to them. Reserve and
-- signed-and-started ratios belong to counties, not departments.
-- schedule: the 序时进度 the 红黄绿 rule used for the month (linear or seasonal, etl/status.py)
with schedule as (
    select coalesce(max(time_progress), month($period) / 12.0) as time_progress
    from period_schedule
    where period = $period
),

annual as (
    select *, trim(responsible_unit) as department
    from project_month
    where period = $period and library <> 'reserve'
),

invest as (
    select
        department,
        count(*) as projects,
        sum(annual_plan_wan) as plan_wan,
        sum(completed_ytd_wan) as ytd_wan,
        count(*) filter (where library = 'new_start' and planned_start <= last_day($period)) as due_to_start,
        count(*) filter (where library = 'new_start' and planned_start <= last_day($period)
                         and (actual_start is not null or completed_ytd_wan > 0)) as started,
        count(*) filter (where is_key) as key_projects,
        count(*) filter (where is_key and status = 'green') as key_green
    from annual
    where department <> ''
    group by department
),

last_year as (
    select trim(responsible_unit) as department, sum(completed_ytd_wan) as ytd_last_year_wan
    from project_month
    where period = $period - interval 1 year and library <> 'reserve'
    group by department
),

problem_stats as (
    select
        trim(responsible_unit) as department,
        count(*) as problems,
        count(*) filter (where is_cleared) as cleared,
        count(*) filter (where is_overdue) as overdue
    from problem_month
    where period = $period and trim(responsible_unit) <> ''
    group by department
),

-- a county government or a zone committee (平城区人民政府, 云冈经济技术开发区管委会) is ranked
-- with the counties, not with the city's departments
departments as (
    select department from (
        select department from invest
        union
        select department from problem_stats
    ) as d
    where not exists (
        select 1 from units as u
        where u.kind in ('county', 'zone') and contains(d.department, u.name)
    )
),

final as (
    select
        d.department as unit_name,
        'department' as unit_kind,
        coalesce(i.projects, 0) as projects,
        i.plan_wan,
        i.ytd_wan,
        i.ytd_wan / nullif(i.plan_wan, 0) as completion_rate,
        s.time_progress as time_progress,
        l.ytd_last_year_wan,
        i.ytd_wan / nullif(l.ytd_last_year_wan, 0) - 1 as yoy_growth,
        coalesce(i.due_to_start, 0) as due_to_start,
        coalesce(i.started, 0) as started,
        i.started / nullif(i.due_to_start, 0) as start_rate,
        coalesce(i.key_projects, 0) as key_projects,
        coalesce(i.key_green, 0) as key_green,
        i.key_green / nullif(i.key_projects, 0) as key_green_share,
        coalesce(p.problems, 0) as problems,
        coalesce(p.cleared, 0) as cleared,
        p.cleared / nullif(p.problems, 0) as closure_rate,
        coalesce(p.overdue, 0) as overdue_problems
    from departments as d
    cross join schedule as s
    left join invest as i using (department)
    left join last_year as l using (department)
    left join problem_stats as p using (department)
)

select * from final order by unit_name

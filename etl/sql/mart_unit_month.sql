-- Roll-ups of every county/district and development zone for every month: the 比亮晒 metrics
-- (queries/league_units.sql ranks them; weights in config/league.toml). Aggregates by unit
-- only, no project rows: published to everyone.
--   signed / signed_started: investment-promotion projects signed this year (reported up to
--   this month) and those of them started this year.
--   problems / cleared / overdue: every problem as it stood at the end of the month.
-- mart_periods (etl/warehouse.py): the months being rebuilt.
create or replace temp view mart_unit_month_build as

with months as (
    select period from mart_periods
),

pm as (
    select * from project_month where period in (select period from months)
),

invest as (
    select
        period,
        unit_code,
        count(*) as projects,
        sum(annual_plan_wan) as plan_wan,
        sum(completed_ytd_wan) as ytd_wan,
        count(*) filter (where library = 'new_start' and planned_start <= last_day(period)) as due_to_start,
        count(*) filter (where library = 'new_start' and planned_start <= last_day(period)
                         and (actual_start is not null or completed_ytd_wan > 0)) as started,
        count(*) filter (where is_key) as key_projects,
        count(*) filter (where is_key and status = 'green') as key_green
    from pm
    where library <> 'reserve'
    group by all
),

last_year as (
    select cast(period + interval 1 year as date) as period, unit_code, sum(completed_ytd_wan) as ytd_last_year_wan
    from project_month
    where library <> 'reserve'
      and cast(period + interval 1 year as date) in (select period from months)
    group by all
),

reserve as (
    select period, unit_code, count(*) as reserve_projects, sum(total_investment_wan) as reserve_total_wan
    from pm
    where library = 'reserve'
    group by all
),

-- each month with the promotion projects of its year reported up to it
signed_projects as (
    select
        m.period,
        p.project_code,
        arg_max(p.unit_code, p.period) as unit_code,
        bool_or(p.actual_start is not null and year(p.actual_start) = year(m.period)
                or p.library <> 'reserve' and p.completed_ytd_wan > 0) as started_this_year
    from months as m
    join project_month as p
      on year(p.period) = year(m.period) and p.period <= m.period
    where p.is_promotion and year(p.signed_date) = year(p.period)
    group by all
),

signed as (
    select period, unit_code, count(*) as signed, count(*) filter (where started_this_year) as signed_started
    from signed_projects
    group by all
),

problem_stats as (
    select
        period,
        unit_code,
        count(*) as problems,
        count(*) filter (where is_cleared) as cleared,
        count(*) filter (where is_overdue) as overdue
    from problem_month
    where period in (select period from months)
    group by all
),

final as (
    select
        m.period,
        u.code as unit_code,
        coalesce(i.projects, 0) as projects,
        i.plan_wan,
        i.ytd_wan,
        l.ytd_last_year_wan,
        coalesce(i.due_to_start, 0) as due_to_start,
        coalesce(i.started, 0) as started,
        coalesce(i.key_projects, 0) as key_projects,
        coalesce(i.key_green, 0) as key_green,
        coalesce(p.problems, 0) as problems,
        coalesce(p.cleared, 0) as cleared,
        coalesce(p.overdue, 0) as overdue_problems,
        coalesce(r.reserve_projects, 0) as reserve_projects,
        coalesce(r.reserve_total_wan, 0) as reserve_total_wan,
        coalesce(s.signed, 0) as signed,
        coalesce(s.signed_started, 0) as signed_started
    from months as m
    cross join units as u
    left join invest as i on i.period = m.period and i.unit_code = u.code
    left join last_year as l on l.period = m.period and l.unit_code = u.code
    left join reserve as r on r.period = m.period and r.unit_code = u.code
    left join signed as s on s.period = m.period and s.unit_code = u.code
    left join problem_stats as p on p.period = m.period and p.unit_code = u.code
    where u.kind in ('county', 'zone')
)

select * from final

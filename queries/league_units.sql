-- 比亮晒 metrics of every county/district and development zone for one month (the inputs of
-- the composite score in ui/league.py; weights in config/league.toml). Units without annual
-- projects in the month come back with projects = 0 and are not ranked.
with pm as (
    select * from project_month where period = $period
),

annual as (
    select * from pm where library <> 'reserve'
),

invest as (
    select
        unit_code,
        count(*) as projects,
        sum(annual_plan_wan) as plan_wan,
        sum(completed_ytd_wan) as ytd_wan,
        count(*) filter (where library = 'new_start' and planned_start <= last_day($period)) as due_to_start,
        count(*) filter (where library = 'new_start' and planned_start <= last_day($period)
                         and (actual_start is not null or completed_ytd_wan > 0)) as started,
        count(*) filter (where is_key) as key_projects,
        count(*) filter (where is_key and status = 'green') as key_green
    from annual
    group by unit_code
),

last_year as (
    select unit_code, sum(completed_ytd_wan) as ytd_last_year_wan
    from project_month
    where period = $period - interval 1 year and library <> 'reserve'
    group by unit_code
),

reserve as (
    select unit_code, count(*) as reserve_projects, sum(total_investment_wan) as reserve_total_wan
    from pm
    where library = 'reserve'
    group by unit_code
),

-- investment-promotion projects signed this year (reported up to this month), and those started this year
signed as (
    select
        unit_code,
        count(*) as signed,
        count(*) filter (where started_this_year) as signed_started
    from (
        select
            project_code,
            arg_max(unit_code, period) as unit_code,
            bool_or(actual_start is not null and year(actual_start) = year($period)
                    or library <> 'reserve' and completed_ytd_wan > 0) as started_this_year
        from project_month
        where is_promotion and year(signed_date) = year($period)
          and period <= $period and year(period) = year($period)
        group by project_code
    )
    group by unit_code
),

-- every problem as it stood at the end of the month (problem_month carries open ones forward)
problem_stats as (
    select
        unit_code,
        count(*) as problems,
        count(*) filter (where is_cleared) as cleared,
        count(*) filter (where is_overdue) as overdue
    from problem_month
    where period = $period
    group by unit_code
),

final as (
    select
        u.code as unit_code,
        u.name as unit_name,
        u.kind as unit_kind,
        u.sort_order,
        coalesce(i.projects, 0) as projects,
        i.plan_wan,
        i.ytd_wan,
        i.ytd_wan / nullif(i.plan_wan, 0) as completion_rate,
        month($period) / 12.0 as time_progress,
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
        coalesce(p.overdue, 0) as overdue_problems,
        coalesce(r.reserve_projects, 0) as reserve_projects,
        coalesce(r.reserve_total_wan, 0) as reserve_total_wan,
        coalesce(r.reserve_total_wan, 0) / nullif(i.plan_wan, 0) as reserve_ratio,
        coalesce(s.signed, 0) as signed,
        coalesce(s.signed_started, 0) as signed_started,
        s.signed_started / nullif(s.signed, 0) as signed_started_ratio
    from units as u
    left join invest as i on i.unit_code = u.code
    left join last_year as l on l.unit_code = u.code
    left join reserve as r on r.unit_code = u.code
    left join signed as s on s.unit_code = u.code
    left join problem_stats as p on p.unit_code = u.code
    where u.kind in ('county', 'zone')
)

select * from final order by sort_order

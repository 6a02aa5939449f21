-- 比亮晒 rows of every month, the inputs of the composite score in ui/league.py (weights in
-- config/league.toml): each county/district and development zone, and each responsible
-- department (责任单位: the annual projects it leads and the problems assigned to it), with the
-- ratios the league ranks, computed here once for both tables (queries/league_units.sql,
-- queries/league_departments.sql). Aggregates only, no project rows: published to everyone.
--   unit_kind: 'county' / 'zone' (unit_code set, a row for every one of them every month) or
--   'department' (unit_code null, unit_name the department as written, trimmed). A county
--   government or a zone committee named as 责任单位 (平城区人民政府, 云冈经济技术开发区管委会) is
--   ranked with the counties, not as a department.
--   signed / signed_started: investment-promotion projects signed this year (reported up to
--   this month) and those of them started this year; reserve and signed figures belong to
--   counties and zones (a department's are null).
--   problems / cleared / overdue_problems: every problem as it stood at the end of the month.
-- mart_periods (etl/warehouse.py): the months being rebuilt.
create or replace temp view mart_league_month_build as

with months as (
    select period from mart_periods
),

pm as (
    select * from project_month where period in (select period from months)
),

-- each annual project counts for its unit and for its responsible department
annual as (
    select *, 'unit' as holder_kind, unit_code as holder from pm where library <> 'reserve'
    union all
    select *, 'department', trim(responsible_unit) from pm where library <> 'reserve'
),

invest as (
    select
        period,
        holder_kind,
        holder,
        count(*) as projects,
        sum(annual_plan_wan) as plan_wan,
        sum(completed_ytd_wan) as ytd_wan,
        count(*) filter (where library = 'new_start' and planned_start <= last_day(period)) as due_to_start,
        count(*) filter (where library = 'new_start' and planned_start <= last_day(period)
                         and (actual_start is not null or completed_ytd_wan > 0)) as started,
        count(*) filter (where is_key) as key_projects,
        count(*) filter (where is_key and status = 'green') as key_green
    from annual
    where holder <> ''
    group by all
),

last_year as (
    select cast(period + interval 1 year as date) as period, holder_kind, holder,
        sum(completed_ytd_wan) as ytd_last_year_wan
    from (
        select period, completed_ytd_wan, 'unit' as holder_kind, unit_code as holder
        from project_month where library <> 'reserve'
        union all
        select period, completed_ytd_wan, 'department', trim(responsible_unit)
        from project_month where library <> 'reserve'
    )
    where cast(period + interval 1 year as date) in (select period from months)
    group by all
),

problem_stats as (
    select
        period,
        holder_kind,
        holder,
        count(*) as problems,
        count(*) filter (where is_cleared) as cleared,
        count(*) filter (where is_overdue) as overdue
    from (
        select period, is_cleared, is_overdue, 'unit' as holder_kind, unit_code as holder
        from problem_month where period in (select period from months)
        union all
        select period, is_cleared, is_overdue, 'department', trim(responsible_unit)
        from problem_month where period in (select period from months)
    )
    where holder <> ''
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

holders as (
    select m.period, u.kind as unit_kind, u.code as unit_code, u.name as unit_name, 'unit' as holder_kind,
        u.code as holder
    from months as m
    cross join units as u
    where u.kind in ('county', 'zone')
    union all
    select distinct d.period, 'department', null, d.holder, 'department', d.holder
    from (
        select period, holder from invest where holder_kind = 'department'
        union
        select period, holder from problem_stats where holder_kind = 'department'
    ) as d
    where not exists (
        select 1 from units as u
        where u.kind in ('county', 'zone') and contains(d.holder, u.name)
    )
),

counted as (
    select
        h.period,
        h.unit_kind,
        h.unit_code,
        h.unit_name,
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
        case when h.holder_kind = 'unit' then coalesce(r.reserve_projects, 0) end as reserve_projects,
        case when h.holder_kind = 'unit' then coalesce(r.reserve_total_wan, 0) end as reserve_total_wan,
        case when h.holder_kind = 'unit' then coalesce(s.signed, 0) end as signed,
        case when h.holder_kind = 'unit' then coalesce(s.signed_started, 0) end as signed_started
    from holders as h
    left join invest as i using (period, holder_kind, holder)
    left join last_year as l using (period, holder_kind, holder)
    left join problem_stats as p using (period, holder_kind, holder)
    left join reserve as r on h.holder_kind = 'unit' and r.period = h.period and r.unit_code = h.holder
    left join signed as s on h.holder_kind = 'unit' and s.period = h.period and s.unit_code = h.holder
),

final as (
    select
        period,
        unit_kind,
        unit_code,
        unit_name,
        projects,
        plan_wan,
        ytd_wan,
        ytd_wan / nullif(plan_wan, 0) as completion_rate,
        ytd_last_year_wan,
        ytd_wan / nullif(ytd_last_year_wan, 0) - 1 as yoy_growth,
        due_to_start,
        started,
        started / nullif(due_to_start, 0) as start_rate,
        key_projects,
        key_green,
        key_green / nullif(key_projects, 0) as key_green_share,
        problems,
        cleared,
        cleared / nullif(problems, 0) as closure_rate,
        overdue_problems,
        reserve_projects,
        reserve_total_wan,
        reserve_total_wan / nullif(plan_wan, 0) as reserve_ratio,
        signed,
        signed_started,
        signed_started / nullif(signed, 0) as signed_started_ratio
    from counted
)

select * from final

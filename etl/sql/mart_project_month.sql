-- Every project of every month (all libraries) with what the pages compare it with, computed
-- once at load time so a page's query is one filtered read of a few columns: the map and its
-- list (queries/map_projects.sql), a leader's projects, problems and dropped projects
-- (queries/leader_*.sql), the month's starts (start_watch), the red key projects of the
-- briefing (briefing_red_key), the projects not reported (progress_unreported), the senders
-- missing (missing_senders), 未建档问题 (problem_unfiled), the key-project review
-- (review_key_months), the policy's targets (policy_targets) and the reserve's figures of the
-- headline (overview_kpis).
--   leader_name: 包联领导 trimmed (null when blank); leader_title_known: the row's title, else the
--        leader's latest title written in any row up to this month.
--   is_started: a start date, or money spent (this year or since the start).
--   in_prev, prev_*: the project's row of the calendar month before (any library); has_prev_month:
--        the month before has annual projects at all (a first month compares with nothing).
--   open_problems, overdue_problems, disappeared_problems: its problems at the month's end;
--        problem_*: its most pressing open one (the longest overdue, else the oldest) with its
--        责任单位; has_filed_problem: a problem of it reported that month or still open.
--   unit_sort: the unit's place in the official order (units.sort_order).
--   scope_unit, scope_sender: the project's unit and sender as `projects` has them (its latest
--        month): whose account sees the row (queries/__init__.py filters on them; a load brings
--        them up to date in every month of the projects it rebuilds, etl/warehouse.py).
-- mart_periods (etl/warehouse.py): the months being rebuilt.
create or replace temp view mart_project_month_build as

with months as (
    select period from mart_periods
),

pm as (
    select * from project_month where period in (select period from months)
),

-- the row of the month before, for every project of the rebuilt months
prev as (
    select
        period + interval 1 month as next_period,
        project_code,
        status,
        is_key,
        nullif(trim(leader), '') as leader_name,
        actual_start is not null or coalesce(completed_ytd_wan, 0) > 0 or coalesce(completed_cum_wan, 0) > 0
            as is_started
    from project_month
    where period + interval 1 month in (select period from months)
),

prev_months as (
    select distinct cast(period + interval 1 month as date) as period
    from project_month
    where library <> 'reserve' and period + interval 1 month in (select period from months)
),

-- each leader's title as written in each month (any of the month's titles when they differ),
-- for the rows that leave it out
leader_titles as (
    select nullif(trim(leader), '') as leader_name, period, arg_max(trim(leader_title), period) as known_title
    from project_month
    where nullif(trim(leader), '') is not null
      and nullif(trim(leader_title), '') is not null
      and period <= (select max(period) from months)
    group by all
),

problem_rows as (
    select
        period,
        project_code,
        is_open,
        is_overdue,
        disappeared,
        reported_in_period,
        description,
        responsible_unit,
        days_overdue,
        row_number() over (partition by period, project_code, is_open
                           order by days_overdue desc, found_date nulls last, problem_id) as pressing
    from problem_month
    where period in (select period from months)
),

problem_counts as (
    select
        period,
        project_code,
        count(*) filter (where is_open) as open_problems,
        count(*) filter (where is_overdue) as overdue_problems,
        count(*) filter (where disappeared) as disappeared_problems,
        bool_or(reported_in_period or is_open) as has_filed_problem,
        any_value(description) filter (where is_open and pressing = 1) as problem_description,
        any_value(responsible_unit) filter (where is_open and pressing = 1) as problem_unit,
        any_value(is_overdue) filter (where is_open and pressing = 1) as problem_overdue,
        any_value(days_overdue) filter (where is_open and pressing = 1) as problem_days_overdue
    from problem_rows
    group by all
),

final as (
    select
        m.period,
        m.project_code,
        m.name,
        m.county_code,
        m.county_name,
        m.zone_code,
        m.zone_name,
        m.unit_code,
        m.unit_name,
        u.sort_order as unit_sort,
        m.sender,
        m.library,
        m.key_level,
        m.is_key,
        m.sector,
        m.six_new_type,
        m.invest_kind,
        m.total_investment_wan,
        m.annual_plan_wan,
        m.completed_month_wan,
        m.completed_ytd_wan,
        m.completed_cum_wan,
        m.progress_text,
        m.planned_start,
        m.actual_start,
        m.leader,
        nullif(trim(m.leader), '') as leader_name,
        m.leader_title,
        coalesce(nullif(trim(m.leader_title), ''), t.known_title) as leader_title_known,
        m.responsible_unit,
        m.lon,
        m.lat,
        m.problem_text,
        m.is_promotion,
        m.signed_date,
        m.is_done,
        m.has_overdue_problem,
        m.time_progress,
        m.completion_rate,
        m.months_late_start,
        m.gap_pts,
        m.status,
        m.status_reason,
        m.actual_start is not null or coalesce(m.completed_ytd_wan, 0) > 0 or coalesce(m.completed_cum_wan, 0) > 0
            as is_started,
        p.project_code is not null as in_prev,
        p.status as prev_status,
        p.is_key as prev_is_key,
        p.leader_name as prev_leader,
        p.is_started as prev_started,
        h.period is not null as has_prev_month,
        coalesce(c.open_problems, 0) as open_problems,
        coalesce(c.overdue_problems, 0) as overdue_problems,
        coalesce(c.disappeared_problems, 0) as disappeared_problems,
        coalesce(c.has_filed_problem, false) as has_filed_problem,
        c.problem_description,
        c.problem_unit,
        c.problem_overdue,
        c.problem_days_overdue,
        j.unit_code as scope_unit,
        j.sender as scope_sender
    from pm as m
    left join projects as j on j.project_code = m.project_code
    left join units as u on u.code = m.unit_code
    left join prev as p on p.next_period = m.period and p.project_code = m.project_code
    left join prev_months as h on h.period = m.period
    asof left join leader_titles as t
        on t.leader_name = nullif(trim(m.leader), '') and m.period >= t.period
    left join problem_counts as c on c.period = m.period and c.project_code = m.project_code
)

select * from final

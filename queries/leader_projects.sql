-- scope: project
-- Key projects (重点工程) at $period with their 包联 leader, the leader's level, what changed
-- since the month before and their problems. $leader: one leader's name, or null for all.
-- A leader whose title matches $city_pattern (ui/leaders.py) is a city leader (市领导);
-- provincial key projects (省定省管 / 省定市管) should be held by one.
with this_month as (
    select *, nullif(trim(leader), '') as leader_name
    from project_month
    where period = $period and is_key
),

prev_period as (
    select cast($period - interval 1 month as date) as prev
),

prev as (
    select
        project_code,
        status as prev_status,
        is_key as prev_is_key,
        nullif(trim(leader), '') as prev_leader,
        actual_start is not null or coalesce(completed_ytd_wan, 0) > 0 or coalesce(completed_cum_wan, 0) > 0
            as prev_started
    from project_month
    where period = (select prev from prev_period)
),

has_prev as (
    select count(*) > 0 as has_prev
    from project_month
    where period = (select prev from prev_period) and library <> 'reserve'
),

-- a title missing from one file is taken from the leader's latest other row
titles as (
    select nullif(trim(leader), '') as leader_name, arg_max(trim(leader_title), period) as known_title
    from project_month
    where period <= $period
      and nullif(trim(leader), '') is not null
      and nullif(trim(leader_title), '') is not null
    group by all
),

problem_counts as (
    select
        project_code,
        count(*) filter (where is_open) as open_problems,
        count(*) filter (where is_overdue) as overdue_problems,
        count(*) filter (where disappeared) as disappeared_problems
    from problem_month
    where period = $period
    group by project_code
),

joined as (
    select
        t.*,
        coalesce(nullif(trim(t.leader_title), ''), ti.known_title) as title,
        t.key_level in ('province_managed', 'province_city_managed') as is_provincial,
        p.prev_status,
        p.prev_is_key,
        p.prev_leader,
        p.project_code is not null as in_prev,
        p.prev_started,
        h.has_prev,
        t.actual_start is not null or coalesce(t.completed_ytd_wan, 0) > 0 or coalesce(t.completed_cum_wan, 0) > 0
            as is_started,
        coalesce(c.open_problems, 0) as open_problems,
        coalesce(c.overdue_problems, 0) as overdue_problems,
        coalesce(c.disappeared_problems, 0) as disappeared_problems
    from this_month as t
    cross join has_prev as h
    left join prev as p using (project_code)
    left join titles as ti using (leader_name)
    left join problem_counts as c using (project_code)
),

final as (
    select
        period,
        project_code,
        name,
        unit_code,
        unit_name,
        key_level,
        is_provincial,
        library,
        status,
        status_reason,
        total_investment_wan,
        annual_plan_wan,
        completed_month_wan,
        completed_ytd_wan,
        completion_rate,
        time_progress,
        gap_pts,
        progress_text,
        planned_start,
        actual_start,
        leader_name as leader,
        title as leader_title,
        case
            when leader_name is null or title is null then null
            when regexp_matches(title, $city_pattern) then 'city'
            else 'local'
        end as leader_level,
        leader_name is null as no_leader,
        coalesce(is_provincial and title is not null and not regexp_matches(title, $city_pattern), false)
            as level_mismatch,
        has_prev,
        prev_status,
        coalesce(has_prev and status = 'red' and prev_status is distinct from 'red', false) as newly_red,
        coalesce(has_prev and prev_status = 'red' and status is distinct from 'red', false) as left_red,
        -- started this month: not started at the end of last month, or first seen with a start this month
        coalesce(has_prev and is_started and (
            (in_prev and not prev_started) or (not in_prev and actual_start >= $period)
        ), false) as newly_started,
        coalesce(has_prev and not coalesce(prev_is_key, false), false) as newly_key,
        coalesce(has_prev and in_prev and prev_leader is distinct from leader_name, false) as leader_changed,
        prev_leader,
        open_problems,
        overdue_problems,
        disappeared_problems
    from joined
    where $leader is null or leader_name = $leader
)

select *
from final
order by
    case status when 'red' then 0 when 'yellow' then 1 when 'green' then 2 else 3 end,
    gap_pts desc nulls last,
    project_code

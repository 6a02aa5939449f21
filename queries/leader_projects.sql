-- scope: project
-- Key projects (重点工程) at $period with their 包联 leader, the leader's level, what changed
-- since the month before and their problems. $leader: one leader's name, or null for all.
-- A leader whose title matches $city_pattern (ui/leaders.py) is a city leader (市领导);
-- provincial key projects (省定省管 / 省定市管) should be held by one. The month before, the
-- title a row leaves out (the leader's latest other one) and the problem counts come with each
-- row of mart_key_month (the key projects of etl/sql/mart_project_month.sql).
with final as (
    select
        period,
        project_code,
        name,
        unit_code,
        unit_name,
        key_level,
        key_level in ('province_managed', 'province_city_managed') as is_provincial,
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
        leader_title_known as leader_title,
        case
            when leader_name is null or leader_title_known is null then null
            when regexp_matches(leader_title_known, $city_pattern) then 'city'
            else 'local'
        end as leader_level,
        leader_name is null as no_leader,
        coalesce(key_level in ('province_managed', 'province_city_managed') and leader_title_known is not null
                 and not regexp_matches(leader_title_known, $city_pattern), false) as level_mismatch,
        has_prev_month as has_prev,
        prev_status,
        coalesce(has_prev_month and status = 'red' and prev_status is distinct from 'red', false) as newly_red,
        coalesce(has_prev_month and prev_status = 'red' and status is distinct from 'red', false) as left_red,
        -- started this month: not started at the end of last month, or first seen with a start this month
        coalesce(has_prev_month and is_started and (
            (in_prev and not prev_started) or (not in_prev and actual_start >= $period)
        ), false) as newly_started,
        coalesce(has_prev_month and not coalesce(prev_is_key, false), false) as newly_key,
        coalesce(has_prev_month and in_prev and prev_leader is distinct from leader_name, false) as leader_changed,
        prev_leader,
        open_problems,
        overdue_problems,
        disappeared_problems
    from mart_key_month
    where period = $period and is_key
      and ($leader is null or leader_name = $leader)
)

select *
from final
order by
    case status when 'red' then 0 when 'yellow' then 1 when 'green' then 2 else 3 end,
    gap_pts desc nulls last,
    project_code

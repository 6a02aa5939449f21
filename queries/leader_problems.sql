-- scope: project
-- Problems at the end of $period on the key projects a leader holds ($leader null: on every
-- key project that has a leader), with what changed since the month before.
with held as (
    select project_code, leader_name as leader, has_prev_month as has_prev
    from mart_key_month
    where period = $period
      and is_key
      and leader_name is not null
      and ($leader is null or leader_name = $leader)
),

prev as (
    select problem_id, is_cleared as prev_cleared, state as prev_state
    from problem_month
    where period = cast($period - interval 1 month as date)
),

final as (
    select
        h.leader,
        m.*,
        p.prev_state,
        -- 销号 this month: cleared now and not at the end of last month (a problem first seen
        -- already cleared counts only if its 办结时间 falls in this month)
        coalesce(h.has_prev and m.is_cleared and (
            (p.problem_id is not null and not p.prev_cleared)
            or (p.problem_id is null and coalesce(m.closed_date >= $period, true))
        ), false) as cleared_this_month,
        coalesce(h.has_prev and m.first_period = $period, false) as new_this_month,
        coalesce(h.has_prev and m.state = 'escalated' and p.prev_state is distinct from 'escalated', false)
            as newly_escalated
    from problem_month as m
    join held as h using (project_code)
    left join prev as p using (problem_id)
    where m.period = $period
)

select *
from final
order by leader, is_open desc, days_overdue desc, days_open desc, problem_id

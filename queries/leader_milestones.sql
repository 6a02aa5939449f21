-- scope: project
-- Milestone nodes (挂图作战) of a leader's key projects ($leader null: every key project with a
-- leader) not done by the end of $period: overdue ones and those due within $days days.
with held as (
    select project_code, name, nullif(trim(leader), '') as leader
    from project_month
    where period = $period
      and is_key
      and nullif(trim(leader), '') is not null
      and ($leader is null or trim(leader) = $leader)
),

as_of as (
    select last_day($period) as as_of_date
),

final as (
    select
        h.leader,
        m.project_code,
        coalesce(h.name, m.project_name) as project_name,
        m.node_seq,
        m.node_name,
        m.planned_date,
        m.actual_date,
        a.as_of_date,
        case when m.planned_date < a.as_of_date then 'overdue' else 'due' end as node_state,
        case when m.planned_date < a.as_of_date then date_diff('day', m.planned_date, a.as_of_date) else 0 end
            as days_overdue,
        case when m.planned_date >= a.as_of_date then date_diff('day', a.as_of_date, m.planned_date) end
            as days_left
    from milestones as m
    join held as h using (project_code)
    cross join as_of as a
    where (m.actual_date is null or m.actual_date > a.as_of_date)
      and m.planned_date <= a.as_of_date + to_days(cast($days as integer))
)

select *
from final
order by node_state desc, planned_date, project_code, node_seq

-- Problems still open at the end of $period, as reported that month, most overdue first.
-- is_overdue: past its deadline (完成时限) at the end of the month and not closed.
with reported as (
    select problem_id, project_code, problem_type, responsible_unit, state, is_overdue
    from problem_month
    where period = $period and is_open
),

final as (
    select
        r.problem_id,
        r.project_code,
        p.project_name,
        p.unit_name,
        p.key_level,
        r.problem_type,
        p.description,
        coalesce(r.responsible_unit, p.responsible_unit) as responsible_unit,
        p.resp_leader,
        p.found_date,
        p.deadline,
        r.state as reported_state,
        r.is_overdue,
        case when r.is_overdue then date_diff('day', p.deadline, last_day($period)) else 0 end
            as days_overdue
    from reported as r
    left join problems as p using (problem_id)
)

select *
from final
order by is_overdue desc, days_overdue desc, deadline nulls last, problem_id

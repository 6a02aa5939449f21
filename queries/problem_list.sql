-- scope: project
-- Every problem as it stood at the end of $period (rules: etl/problem_rules.py, applied in
-- etl/sql/problems.sql), for one county/zone ($unit) or the whole city (null).
-- Escalated first, then the longest past deadline, then the longest open.
with scoped as (
    select *
    from problem_month
    where period = $period
      and ($unit is null or unit_code = $unit)
),

final as (
    select
        *,
        case state
            when 'escalated' then 0
            when 'unsatisfied' then 1
            when 'open' then 2
            when 'assigned' then 3
            when 'in_progress' then 4
            else 5
        end as state_rank
    from scoped
)

select *
from final
order by state_rank, days_overdue desc, days_open desc, problem_id

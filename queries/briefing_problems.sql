-- scope: project
-- Problems still open at the end of $period (closed-loop rules applied at that month end, see
-- etl/sql/problems.sql), most overdue first. is_overdue: past its deadline (完成时限) and not
-- cleared (清零销号) at the end of the month.
with open_problems as (
    select *
    from problem_month
    where period = $period and is_open
),

final as (
    select
        problem_id,
        project_code,
        project_name,
        unit_name,
        key_level,
        problem_type,
        description,
        responsible_unit,
        resp_leader,
        found_date,
        deadline,
        state,
        is_overdue,
        days_overdue,
        reported_in_period
    from open_problems
)

select *
from final
order by is_overdue desc, days_overdue desc, deadline nulls last, problem_id

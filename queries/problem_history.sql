-- scope: project
-- Every problem at the end of every month (carried on when a report leaves it out), for the
-- trend of open problems; one county/zone ($unit) or the whole city (null).
with scoped as (
    select
        period,
        problem_id,
        problem_type,
        responsible_unit,
        resp_leader,
        project_leader,
        state,
        is_open,
        is_cleared,
        is_overdue,
        disappeared,
        reported_in_period
    from problem_month
    where $unit is null or unit_code = $unit
),

final as (
    select * from scoped
)

select * from final order by period, problem_id

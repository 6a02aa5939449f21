-- scope: project
-- A project's problems with the five responsibilities (五到位) and their state; open ones first.
select
    problem_id,
    problem_type,
    description,
    found_date,
    responsible_unit,
    resp_leader,
    responsible_person,
    solution,
    deadline,
    state,
    is_overdue,
    days_overdue,
    closed_date,
    satisfaction,
    is_cleared,
    missing_fields,
    last_period
from problems
where project_code = $code
order by state = 'closed', deadline nulls last, problem_id

-- Each problem as reported in each month (for the monthly trend of open problems).
create or replace table problem_month as

select
    period,
    problem_id,
    project_code,
    problem_type,
    responsible_unit,
    state,
    state <> 'closed' as is_open,
    state <> 'closed' and deadline is not null and deadline < last_day(period) as is_overdue,
    sender
from stg_problems

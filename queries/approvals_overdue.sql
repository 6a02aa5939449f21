-- scope: project
-- Approval items of $unit's projects (null: the whole city) still being handled at $period past
-- their limit (as last reported, etl/sql/mart_approval_month.sql), the longest over first; at most
-- $limit rows, `total` says how many there are.
select
    project_code, name, unit_name, item_name, department, accepted_date, completed_date, working_days,
    limit_days, days_over, is_overdue, is_waiting, is_promise, is_agent, count(*) over () as total
from mart_approval_month
where period = $period and ($unit is null or unit_code = $unit) and is_waiting and is_overdue
order by days_over desc, project_code, item_seq, item_name
limit $limit

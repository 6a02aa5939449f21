-- scope: project
-- A project's milestone nodes (挂图作战): planned vs actual, judged at the data date.
select
    node_seq,
    node_name,
    planned_date,
    actual_date,
    node_state,
    days_overdue,
    reported_period,
    remarks
from milestones
where project_code = $code
order by node_seq, planned_date

-- scope: project
-- The 13710 columns of every problem as last reported at or before $period (交办时间, 答复时间,
-- 问题级别); the clock itself is applied by etl.problem_rules.clock_13710.
select problem_id, project_code, found_date, assigned_date, answered_date, severity
from stg_problems
where period <= $period
qualify row_number() over (partition by problem_id order by period desc, sender, source_row) = 1

-- Every problem as it stood at the end of every month (the rules of problems.sql applied at
-- each month end): the trend of open problems, and what changed since the month before.
-- reported_in_period is false for a problem carried on from an earlier report.
create or replace table problem_month as
select *
from problem_asof
order by period, problem_id

-- Problems (问题清单) at the data date: the latest month of problem_month (the closed-loop
-- rules are in problem_asof.sql), one row per problem, with the project's details.
create or replace table problems as
select *
from problem_month
where period = (select max(period) from problem_month)
order by problem_id

-- scope: public
-- Months with progress data, newest first.
select distinct period
from project_month
where library <> 'reserve'
order by period desc

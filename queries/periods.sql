-- scope: public
-- Months with progress data, newest first.
select distinct period
from mart_annual_month
order by period desc

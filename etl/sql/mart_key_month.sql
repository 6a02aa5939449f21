-- The key projects' rows of mart_project_month (etl/sql/mart_project_month.sql), every month:
-- the map, its filters, a leader's projects and problems and the red key projects read a
-- month of the few thousand key projects instead of scanning every project's row of it.
-- mart_periods (etl/warehouse.py): the months being rebuilt (after mart_project_month's).
create or replace temp view mart_key_month_build as

select *
from mart_project_month
where is_key
  and period in (select period from mart_periods)

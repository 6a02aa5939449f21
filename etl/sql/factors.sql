-- Factor guarantees (要素保障) as last reported: each project × factor's latest row of factor_month
-- (factor_month.sql).
-- factor_codes (etl/warehouse.py): the projects being rebuilt, all of them or those whose
-- factors a load can change.
create or replace temp view factors_build as
select * exclude (period), period as report_period
from factor_month
where project_code in (select project_code from factor_codes)
qualify row_number() over (partition by project_code, kind, detail order by period desc) = 1

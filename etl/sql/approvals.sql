-- Approvals (审批事项) as last reported: each project × item's latest row of approval_month
-- (approval_month.sql).
-- approval_codes (etl/warehouse.py): the projects being rebuilt, all of them or those whose
-- items a load can change.
create or replace temp view approvals_build as
select * exclude (period), period as report_period
from approval_month
where project_code in (select project_code from approval_codes)
qualify row_number() over (partition by project_code, item_name order by period desc) = 1

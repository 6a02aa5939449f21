-- scope: public
-- 比亮晒 手续办理 of every county/district and development zone for one month: the approval
-- items completed in $period's month and how many of them within their limit (working days on
-- the official calendar, etl/sql/approvals.sql). Aggregates per unit only, no project rows.
select
    unit_code,
    count(*) as approvals_done,
    count(*) filter (where not is_overdue) as approvals_on_time,
    count(*) filter (where not is_overdue) / count(*) as approval_timely_rate
from approval_month
where period = $period
  and completed_date between $period and last_day($period)
  and unit_code is not null
group by unit_code

-- scope: project
-- Key projects of $unit (null: the whole city) still waiting at $period for a factor (as last
-- reported, etl/sql/mart_factor_month.sql): one row per factor with a gap, those past the planned
-- date first; at most $limit rows, `total` says how many there are (approvals_totals counts the
-- projects).
select
    project_code, name, unit_name, kind, kind_seq, detail, unit, needed, secured, gap, department,
    planned_date, is_overdue, count(*) over () as total
from mart_factor_month
where period = $period and ($unit is null or unit_code = $unit) and is_key and gap > 0
order by is_overdue desc, kind_seq, gap desc, project_code, detail
limit $limit

-- scope: project
-- Factor guarantees of $unit's projects (null: the whole city) at $period per responsible
-- department (as last reported, etl/sql/mart_factor_month.sql): factors, those with a gap, those
-- past their planned date; the most overdue first.
select
    department,
    count(*) as rows,
    count(*) filter (where gap > 0) as gap_rows,
    count(*) filter (where is_overdue) as overdue
from mart_factor_month
where period = $period and ($unit is null or unit_code = $unit)
group by department
order by overdue desc, gap_rows desc, department nulls first

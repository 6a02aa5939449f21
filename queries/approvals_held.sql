-- scope: project
-- New starts of $unit (null: the whole city) not started at $period that wait on an approval: the
-- first item in the chain they wait for (as last reported, etl/sql/mart_approval_month.sql), those
-- past its limit and the longest over first; at most $limit rows, `total` says how many there are.
with waiting as (
    select *
    from mart_approval_month
    where period = $period and ($unit is null or unit_code = $unit)
      and library = 'new_start' and actual_start is null and is_waiting
),

first_item as (
    select *
    from waiting
    qualify row_number() over (
        partition by project_code order by item_seq, accepted_date nulls last, item_name) = 1
)

select
    project_code, name, unit_name, item_name, department, accepted_date, working_days, limit_days,
    days_over, is_overdue, count(*) over () as total
from first_item
order by is_overdue desc, days_over desc, project_code
limit $limit

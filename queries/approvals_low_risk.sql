-- scope: project
-- Each low-risk small project of $unit (null: the whole city) at $period: its approval items (as
-- last reported, etl/sql/mart_approval_month.sql), their working days summed (the approval time,
-- not the company's building time), whether its chain is complete (不动产登记 办结) and within
-- $target_days working days; complete chains first, the quickest first.
with chains as (
    select
        project_code,
        name,
        unit_name,
        count(*) as items,
        coalesce(sum(working_days), 0) as total_days,
        bool_or(item = 'property' and completed_date is not null) as complete
    from mart_approval_month
    where period = $period and ($unit is null or unit_code = $unit) and is_low_risk
    group by project_code, name, unit_name
)

select *, complete and total_days <= $target_days as within
from chains
order by complete desc, total_days, project_code

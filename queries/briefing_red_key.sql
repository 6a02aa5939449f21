-- scope: project
-- Key projects that are red in $period, most behind first, with last month's status
-- (turned_red: red now and not red last month, including projects new this month). Last
-- month's status comes with each row of mart_key_month (etl/sql/mart_key_month.sql).
with final as (
    select
        project_code,
        name,
        unit_name,
        key_level,
        leader,
        responsible_unit,
        annual_plan_wan,
        completed_ytd_wan,
        completion_rate,
        gap_pts,
        months_late_start,
        status_reason,
        prev_status as last_status,
        coalesce(prev_status, '') <> 'red' as turned_red
    from mart_key_month
    where period = $period and is_key and status = 'red'
)

select *
from final
order by months_late_start desc, gap_pts desc nulls last, annual_plan_wan desc, project_code

-- scope: project
-- Key projects that are red in $period, most behind first, with last month's status
-- (turned_red: red now and not red last month, including projects new this month).
with this_month as (
    select *
    from project_month
    where period = $period and is_key and status = 'red'
),

last_month as (
    select project_code, status as last_status
    from project_month
    where period = $period - interval 1 month
),

final as (
    select
        t.project_code,
        t.name,
        t.unit_name,
        t.key_level,
        t.leader,
        t.responsible_unit,
        t.annual_plan_wan,
        t.completed_ytd_wan,
        t.completion_rate,
        t.gap_pts,
        t.months_late_start,
        t.status_reason,
        l.last_status,
        coalesce(l.last_status, '') <> 'red' as turned_red
    from this_month as t
    left join last_month as l using (project_code)
)

select *
from final
order by months_late_start desc, gap_pts desc nulls last, annual_plan_wan desc, project_code

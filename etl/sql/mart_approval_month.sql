-- Every month × every approval item as last reported at or before that month (approval_month,
-- etl/sql/approvals.sql), with the project's unit, zone, key flag, library and start as reported
-- that month (its latest attributes when it sent no progress row that month). The approvals page
-- and the quarterly analysis filter this by `period = $period` instead of each finding the latest
-- report and the project's month again. Ordered by month, so a month's rows are read alone, and
-- within it the items still being handled (past their limit first) together, which the page's
-- lists read: a scan then unpacks the names of a few blocks of rows, not of the whole month.
-- rebuild_scope / changed_projects (etl/warehouse.py): a load rebuilds the months from the first
-- one it changed, and every month of the projects whose attributes taken from `projects` changed.
create or replace temp view mart_approval_month_build as

with months as (
    select period from project_month
    union
    select period from approval_month
),

-- the reports that can hold in the months being rebuilt: those from the first month on, each
-- one's latest before it, and every report of the projects rebuilt whole
candidates as (
    select project_code, item_name, period
    from approval_month
    where period >= (select from_period from rebuild_scope)
       or project_code in (select project_code from changed_projects)
    union
    select project_code, item_name, max(period)
    from approval_month
    where period < (select from_period from rebuild_scope)
    group by all
),

spans as (
    select
        *,
        -- the item's next report supersedes this one from its month on
        lead(period) over (partition by project_code, item_name order by period) as next_period
    from candidates
),

reports as (
    select r.*, s.next_period
    from spans as s
    join approval_month as r
      on s.project_code = r.project_code and s.item_name = r.item_name and s.period = r.period
),

-- the months being rebuilt, and the earlier months of the projects rebuilt whole
latest as (
    select m.period as at_period, r.*
    from months as m
    join reports as r
      on r.period <= m.period and m.period < coalesce(r.next_period, date '9999-12-31')
    where m.period >= (select from_period from rebuild_scope)
    union all
    select m.period as at_period, r.*
    from months as m
    join reports as r
      on r.period <= m.period and m.period < coalesce(r.next_period, date '9999-12-31')
    where m.period < (select from_period from rebuild_scope)
      and r.project_code in (select project_code from changed_projects)
),

final as (
    select
        l.at_period as period,
        l.project_code,
        l.name,
        l.item,
        l.item_seq,
        l.item_name,
        l.department,
        l.accepted_date,
        l.completed_date,
        l.working_days,
        l.limit_days,
        l.calendar_known,
        l.is_overdue,
        l.is_waiting,
        l.days_over,
        l.is_promise,
        l.is_agent,
        l.is_low_risk,
        l.period as report_period,
        coalesce(pm.unit_code, l.unit_code) as unit_code,
        coalesce(pm.unit_name, l.unit_name) as unit_name,
        coalesce(pm.zone_code, l.zone_code) as zone_code,
        coalesce(pm.is_key, l.is_key) as is_key,
        coalesce(pm.library, l.library) as library,
        pm.actual_start
    from latest as l
    left join project_month as pm on pm.period = l.at_period and pm.project_code = l.project_code
)

select * from final

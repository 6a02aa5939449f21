-- Every month × every factor guarantee (kind and detail) as last reported at or before that month
-- (factor_month, etl/sql/factors.sql), with the project's unit, zone and key flag as reported that
-- month (its latest when it sent no progress row that month). The approvals page and the quarterly
-- analysis filter this by `period = $period`. Ordered by month, so a month's rows are read alone,
-- and within it key projects' missing factors together (the list the page and the analysis read).
-- rebuild_scope / changed_projects (etl/warehouse.py): a load rebuilds the months from the first
-- one it changed, and every month of the projects whose attributes taken from `projects` changed.
create or replace temp view mart_factor_month_build as

with months as (
    select period from project_month
    union
    select period from factor_month
),

-- the reports that can hold in the months being rebuilt: those from the first month on, each
-- one's latest before it, and every report of the projects rebuilt whole
candidates as (
    select project_code, kind, detail, period
    from factor_month
    where period >= (select from_period from rebuild_scope)
       or project_code in (select project_code from changed_projects)
    union
    select project_code, kind, detail, max(period)
    from factor_month
    where period < (select from_period from rebuild_scope)
    group by all
),

spans as (
    select
        *,
        lead(period) over (partition by project_code, kind, detail order by period) as next_period
    from candidates
),

reports as (
    select r.*, s.next_period
    from spans as s
    join factor_month as r
      on s.project_code = r.project_code and s.kind = r.kind and s.detail is not distinct from r.detail
     and s.period = r.period
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
        l.kind,
        l.kind_seq,
        l.detail,
        l.unit,
        l.needed,
        l.secured,
        l.gap,
        l.department,
        l.planned_date,
        l.is_overdue,
        l.period as report_period,
        coalesce(pm.unit_code, l.unit_code) as unit_code,
        coalesce(pm.unit_name, l.unit_name) as unit_name,
        coalesce(pm.zone_code, l.zone_code) as zone_code,
        coalesce(pm.is_key, l.is_key) as is_key
    from latest as l
    left join project_month as pm on pm.period = l.at_period and pm.project_code = l.project_code
)

select * from final

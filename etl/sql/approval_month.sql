-- Approvals (审批事项). approval_month: every project × approval item as reported each month,
-- with the working days it took (or had taken by that month's end) on the official calendar
-- and whether it is past its limit (approvals.sql: the same as last reported).
-- Working days run from the day after 受理 to 办结 inclusive (etl/workdays.py); an item still
-- being handled is counted to the end of the report's month. A date the calendar does not
-- cover gives no working days and calendar_known = false (the page warns about it), never a
-- weekday count.
-- rebuild_scope / changed_projects (etl/warehouse.py): a load rebuilds the months from the first
-- one it changed, and every month of the projects whose attributes taken from `projects` changed.
create or replace temp view approval_month_build as

with reports as (
    select * exclude (load_id)
    from stg_approvals
    where period >= (select from_period from rebuild_scope)
       or project_code in (select project_code from changed_projects)
    -- the same item sent twice in one month (by a county and a department): keep one
    qualify row_number() over (partition by period, project_code, approval_item order by sender, source_row) = 1
),

counted as (
    select
        r.*,
        coalesce(r.completed_date, last_day(r.period)) as end_date,
        a.workday_seq as seq_accepted,
        b.workday_seq as seq_end
    from reports as r
    left join workday_calendar as a on a.day = r.accepted_date
    left join workday_calendar as b on b.day = coalesce(r.completed_date, last_day(r.period))
),

final as (
    select
        c.project_code,
        coalesce(p.name, c.name) as name,
        c.item,
        -- the chain's order, as in etl.vocab.APPROVAL_ITEM
        list_position(['project', 'land_site', 'planning', 'eia', 'energy', 'construction', 'acceptance',
                       'property', 'other'], c.item) as item_seq,
        c.approval_item as item_name,
        c.department,
        c.accepted_date,
        c.completed_date,
        c.approval_state as state,
        case when c.accepted_date is not null then c.seq_end - c.seq_accepted end as working_days,
        cast(c.limit_days as integer) as limit_days,
        c.accepted_date is null or (c.seq_accepted is not null and c.seq_end is not null) as calendar_known,
        coalesce(c.seq_end - c.seq_accepted > c.limit_days, false) as is_overdue,
        c.approval_state = 'in_progress' as is_waiting,
        greatest(c.seq_end - c.seq_accepted - cast(c.limit_days as integer), 0) as days_over,
        coalesce(c.is_promise, false) as is_promise,
        coalesce(c.is_agent, false) as is_agent,
        coalesce(c.is_low_risk, false) as is_low_risk,
        c.period,
        last_day(c.period) as as_of_date,
        p.unit_code,
        p.unit_name,
        p.county_code,
        p.zone_code,
        coalesce(p.is_key, false) as is_key,
        p.key_level,
        p.library,
        p.invest_kind,
        p.sector,
        p.planned_start,
        p.actual_start,
        c.sender,
        c.source_file,
        c.source_row,
        c.remarks
    from counted as c
    left join projects as p using (project_code)
)

select * from final

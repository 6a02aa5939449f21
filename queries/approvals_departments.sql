-- scope: project
-- Each approving department's accepted items for $unit's projects (null: the whole city) as last
-- reported by $period (etl/sql/mart_approval_month.sql): handled, done, still waiting, past their
-- limit (done late or still waiting), the average working days of those done; the slowest first.
-- The approvals page's ranking and the quarterly analysis's 审批 sentence.
with items as (
    select *
    from mart_approval_month
    where period = $period and ($unit is null or unit_code = $unit) and accepted_date is not null
),

final as (
    select
        department,
        count(*) as items,
        count(*) filter (where completed_date is not null) as done,
        count(*) filter (where is_waiting) as waiting,
        count(*) filter (where is_overdue) as overdue,
        count(*) filter (where is_overdue and is_waiting) as overdue_waiting,
        avg(working_days) filter (where completed_date is not null) as avg_days,
        count(*) filter (where is_overdue) / count(*) as overdue_rate
    from items
    group by department
)

select * from final
order by overdue desc, overdue_rate desc, department nulls first

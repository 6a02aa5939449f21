-- scope: project
-- The month's new-start projects that a leader asks about: those that started this month
-- (实际开工 in the month) and those due to start that have not (计划开工未开工: planned start
-- reached by the data date, no actual start and nothing invested), with how late they are.
-- $unit: a county/zone code or null for the whole city. Started = as overview_kpis counts it.
with final as (
    select
        project_code,
        name,
        unit_name,
        key_level,
        status,
        leader,
        leader_title,
        responsible_unit,
        planned_start,
        actual_start,
        annual_plan_wan,
        coalesce(actual_start between $period and last_day($period), false) as started_this_month,
        planned_start <= last_day($period)
            and actual_start is null and coalesce(completed_ytd_wan, 0) <= 0 as late_start,
        date_diff('day', planned_start, last_day($period)) as days_late
    from mart_project_month
    where period = $period
      and library = 'new_start'
      and ($unit is null or unit_code = $unit)
)

select *
from final
where started_this_month or late_start
order by late_start desc, days_late desc nulls last, annual_plan_wan desc nulls last, project_code

-- scope: project
-- The projects of one county / development zone in one month (the drill-down list).
-- $unit: a county/zone code, or null for every unit; $library as in the sidebar.
with annual as (
    select *
    from mart_annual_month
    where period = $period
      and cut = coalesce($library, 'all')
      and ($unit is null or unit_code = $unit)
),

final as (
    select
        project_code,
        name,
        unit_code,
        unit_name,
        library,
        key_level,
        sector,
        invest_kind,
        owner,
        responsible_unit,
        annual_plan_wan,
        completed_month_wan,
        completed_ytd_wan,
        completed_cum_wan,
        completion_rate,
        gap_pts,
        status,
        status_reason,
        progress_text
    from annual
)

select * from final
order by case status when 'red' then 0 when 'yellow' then 1 when 'green' then 2 else 3 end,
         gap_pts desc nulls last, project_code

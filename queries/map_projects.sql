-- scope: project
-- Key projects of one month for the map and its list, with the map filters applied.
-- Every filter is optional (null = all): $unit county/zone code, $level comma-separated key levels
-- ('province_managed,province_city_managed'),
-- $status comma-separated statuses ('red,yellow'), $six_new 六新 type, $leader 包联领导.
-- Projects without coordinates are kept (lon/lat null): the page lists them apart.
-- Each carries its most pressing open problem at the month's end (the longest overdue, else the
-- oldest) with its 责任单位, and how many are open: a leader's list answers 「stuck on what, whose」
-- (each row of mart_key_month carries them, etl/sql/mart_project_month.sql).
with final as (
    select
        project_code,
        name,
        key_level,
        unit_code,
        unit_name,
        county_code,
        county_name,
        zone_code,
        zone_name,
        sector,
        six_new_type,
        total_investment_wan,
        annual_plan_wan,
        completed_month_wan,
        completed_ytd_wan,
        completion_rate,
        gap_pts,
        progress_text,
        status,
        status_reason,
        leader,
        leader_title,
        lon,
        lat,
        open_problems,
        problem_description,
        problem_unit,
        problem_overdue,
        problem_days_overdue,
        unit_sort as unit_order
    from mart_key_month
    where period = $period
      and is_key
      and ($unit is null or unit_code = $unit)
      and ($level is null or list_contains(string_split($level, ','), key_level))
      and ($status is null or list_contains(string_split($status, ','), status))
      and ($six_new is null or six_new_type = $six_new)
      and ($leader is null or leader = $leader)
)

select * from final
order by unit_order, case status when 'red' then 0 when 'yellow' then 1 else 2 end,
         total_investment_wan desc nulls last, project_code

-- scope: project
-- Key projects of one month for the map and its list, with the map filters applied.
-- Every filter is optional (null = all): $unit county/zone code, $level comma-separated key levels
-- ('province_managed,province_city_managed'),
-- $status comma-separated statuses ('red,yellow'), $six_new 六新 type, $leader 包联领导.
-- Projects without coordinates are kept (lon/lat null): the page lists them apart.
-- Each carries its most pressing open problem at the month's end (the longest overdue, else the
-- oldest) with its 责任单位, and how many are open: a leader's list answers 「stuck on what, whose」.
with key_projects as (
    select *
    from project_month
    where period = $period
      and is_key
      and ($unit is null or unit_code = $unit)
      and ($level is null or list_contains(string_split($level, ','), key_level))
      and ($status is null or list_contains(string_split($status, ','), status))
      and ($six_new is null or six_new_type = $six_new)
      and ($leader is null or leader = $leader)
),

open_problems as (
    select
        project_code,
        description,
        responsible_unit,
        is_overdue,
        days_overdue,
        count(*) over (partition by project_code) as open_count,
        row_number() over (partition by project_code
                           order by days_overdue desc, found_date nulls last, problem_id) as pressing
    from problem_month
    where period = $period
      and is_open
),

final as (
    select
        k.project_code,
        k.name,
        k.key_level,
        k.unit_code,
        k.unit_name,
        k.county_code,
        k.county_name,
        k.zone_code,
        k.zone_name,
        k.sector,
        k.six_new_type,
        k.total_investment_wan,
        k.annual_plan_wan,
        k.completed_month_wan,
        k.completed_ytd_wan,
        k.completion_rate,
        k.gap_pts,
        k.progress_text,
        k.status,
        k.status_reason,
        k.leader,
        k.leader_title,
        k.lon,
        k.lat,
        coalesce(p.open_count, 0) as open_problems,
        p.description as problem_description,
        p.responsible_unit as problem_unit,
        p.is_overdue as problem_overdue,
        p.days_overdue as problem_days_overdue,
        u.sort_order as unit_order
    from key_projects as k
    left join units as u on u.code = k.unit_code
    left join open_problems as p on p.project_code = k.project_code and p.pressing = 1
)

select * from final
order by unit_order, case status when 'red' then 0 when 'yellow' then 1 else 2 end,
         total_investment_wan desc nulls last, project_code

-- Every project in every reported month, before the red/yellow/green rule is applied.
-- Annual and key projects come from the progress sheets; reserve projects from the reserve
-- sheets, unless the same project is in a progress sheet that month (it has moved on).
create or replace temp view pm_base as

-- pm_years: the years being rebuilt (all of them, or those a load changed)
with progress as (
    select * exclude (load_id) from stg_progress
    where year(period) in (select y from pm_years)
),

reserve as (
    select r.* exclude (load_id)
    from stg_reserve as r
    anti join stg_progress as p on p.period = r.period and p.project_code = r.project_code
    where year(r.period) in (select y from pm_years)
),

unioned as (
    select * from progress
    union all by name
    select * from reserve
),

monthly as (
    select
        *,
        -- some senders leave 本月 out: derive it from the change in 年累计
        coalesce(
            completed_month_wan,
            completed_ytd_wan - coalesce(lag(completed_ytd_wan) over (
                partition by project_code, year(period) order by period), 0)
        ) as completed_month_filled
    from unioned
),

overdue as (
    -- closed without the company's satisfaction is not cleared (清零销号), so it still counts
    select period, project_code, true as has_overdue_problem
    from stg_problems
    where (state <> 'closed' or not coalesce(satisfaction in ('满意', '基本满意'), false))
      and deadline is not null and deadline < last_day(period)
    group by all
),

-- a project waiting at the month's end on an approval past its limit (working days on the
-- official calendar, counted from the day after 受理), or on a factor past its planned date
-- (etl/status.py)
approval_waits as (
    select a.period, a.project_code, true as has_overdue_approval
    from stg_approvals as a
    join workday_calendar as s on s.day = a.accepted_date
    join workday_calendar as e on e.day = last_day(a.period)
    where a.completed_date is null and a.limit_days is not null
      and e.workday_seq - s.workday_seq > a.limit_days
      and year(a.period) in (select y from pm_years)
    group by all
),

factor_waits as (
    select period, project_code, true as has_overdue_factor
    from stg_factors
    where coalesce(secured, 0) < needed and planned_date is not null and planned_date < last_day(period)
      and year(period) in (select y from pm_years)
    group by all
),

final as (
    select
        m.period,
        m.project_code,
        m.name,
        m.owner,
        m.county_code,
        c.name as county_name,
        m.zone_code,
        z.name as zone_name,
        coalesce(m.zone_code, m.county_code) as unit_code,
        coalesce(z.name, c.name) as unit_name,
        m.sender,
        m.library,
        m.key_level,
        m.key_level is not null as is_key,
        m.sector,
        m.six_new_type,
        m.two_new_type,
        m.invest_kind,
        m.total_investment_wan,
        m.annual_plan_wan,
        m.completed_month_filled as completed_month_wan,
        m.completed_ytd_wan,
        m.completed_cum_wan,
        m.progress_text,
        m.prep_stage,
        m.planned_start,
        m.actual_start,
        m.planned_end,
        m.leader,
        m.leader_title,
        m.responsible_unit,
        m.responsible_person,
        m.lon,
        m.lat,
        m.problem_text,
        coalesce(m.is_promotion, false) as is_promotion,
        m.signed_date,
        m.funding_source,
        m.land_area_mu,
        m.tags,
        m.remarks,
        m.source_file,
        m.source_row,
        coalesce(regexp_matches(m.progress_text, '(已竣工|竣工投产|已投产|已完工|建成投产)'), false) as is_done,
        coalesce(o.has_overdue_problem, false) as has_overdue_problem,
        coalesce(aw.has_overdue_approval, false) as has_overdue_approval,
        coalesce(fw.has_overdue_factor, false) as has_overdue_factor
    from monthly as m
    left join units as c on c.code = m.county_code
    left join units as z on z.code = m.zone_code
    left join overdue as o on o.period = m.period and o.project_code = m.project_code
    left join approval_waits as aw on aw.period = m.period and aw.project_code = m.project_code
    left join factor_waits as fw on fw.period = m.period and fw.project_code = m.project_code
)

select * from final

-- The latest state of every project: its row of the last month it was reported.
-- rebuild_codes (etl/warehouse.py): the projects being rebuilt, all of them or those whose
-- months a load changed; in_latest_period of the others is brought up to date apart.
create or replace temp view projects_build as

with spans as (
    select
        project_code,
        min(period) as first_period,
        max(period) as last_period,
        min(period) filter (where library <> 'reserve') as first_annual_period,
        bool_or(is_key) as ever_key
    from project_month
    where project_code in (select project_code from rebuild_codes)
    group by project_code
),

-- the row of the last month (a join on the month, not a window over every month's whole rows)
latest as (
    select m.*
    from project_month as m
    join spans as s on s.project_code = m.project_code and s.last_period = m.period
),

final as (
    select
        l.*,
        s.first_period,
        s.last_period,
        s.first_annual_period,
        s.ever_key,
        l.period = (select max(period) from project_month) as in_latest_period
    from latest as l
    join spans as s using (project_code)
)

select * from final

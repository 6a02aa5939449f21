-- The latest state of every project: its row of the last month it was reported.
-- rebuild_codes (etl/warehouse.py): the projects being rebuilt, all of them or those whose
-- months a load changed; in_latest_period of the others is brought up to date apart.
create or replace temp view projects_build as

with months as (
    select * from project_month
    where project_code in (select project_code from rebuild_codes)
),

spans as (
    select
        project_code,
        min(period) as first_period,
        max(period) as last_period,
        min(period) filter (where library <> 'reserve') as first_annual_period,
        bool_or(is_key) as ever_key
    from months
    group by project_code
),

latest as (
    select * from months
    qualify row_number() over (partition by project_code order by period desc) = 1
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

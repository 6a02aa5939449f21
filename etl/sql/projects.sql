-- The latest state of every project: its row of the last month it was reported.
create or replace table projects as

with spans as (
    select
        project_code,
        min(period) as first_period,
        max(period) as last_period,
        min(period) filter (where library <> 'reserve') as first_annual_period,
        bool_or(is_key) as ever_key
    from project_month
    group by project_code
),

latest as (
    select * from project_month
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

-- scope: project
-- What $sender reported for its latest month before $period (progress and reserve sheets),
-- to compare a new file with.
with progress as not materialized (
    select period, project_code, name, annual_plan_wan, completed_month_wan, completed_ytd_wan,
        total_investment_wan
    from stg_progress
    where sender = $sender and period < $period
),

reserve as not materialized (
    select period, project_code, name, total_investment_wan
    from stg_reserve
    where sender = $sender and period < $period
),

final as (
    select 'progress' as kind, * from progress where period = (select max(period) from progress)
    union all by name
    select 'reserve' as kind, * from reserve where period = (select max(period) from reserve)
)

select * from final
order by kind, project_code

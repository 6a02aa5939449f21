-- The 序时进度 of each month as the 红黄绿 rule used it (etl/status.py: month ÷ 12, or the
-- seasonal share of earlier years when configured), so city and unit figures use the same one.
create or replace table period_schedule as

with annual as (
    select period, time_progress
    from project_month
    where library <> 'reserve' and time_progress is not null
),

final as (
    select period, max(time_progress) as time_progress
    from annual
    group by period
)

select * from final order by period

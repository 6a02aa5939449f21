-- scope: project
-- Senders that reported a progress sheet for the month before $period but none for $period,
-- with what their last report brought to the figures of $unit (null: the whole city):
-- 「10月缺市住建局报表：上月5个项目，年度计划19.93亿元」. Aggregates of project rows, so a
-- scoped user sees only what is missing from their own figures.
with prev_month as (
    select cast($period - interval 1 month as date) as prev
),

reported_prev as (
    select distinct sender
    from partitions
    where kind = 'progress' and period = (select prev from prev_month)
),

reported_now as (
    select distinct sender
    from partitions
    where kind = 'progress' and period = $period
),

missing as (
    select sender from reported_prev
    except
    select sender from reported_now
),

last_report as (
    select
        pm.sender,
        count(*) as projects,
        sum(pm.annual_plan_wan) as plan_wan,
        sum(pm.completed_ytd_wan) as ytd_wan
    from mart_project_month as pm
    where pm.period = (select prev from prev_month)
      and pm.library <> 'reserve'
      and ($unit is null or pm.unit_code = $unit)
      and pm.sender in (select sender from missing)
    group by pm.sender
),

final as (
    select
        l.sender,
        (select prev from prev_month) as last_period,
        l.projects,
        l.plan_wan,
        l.ytd_wan,
        coalesce(u.sort_order, 1000) as sort_order
    from last_report as l
    left join units as u on u.name = l.sender
    where l.projects > 0
)

select * from final
order by plan_wan desc nulls last, sort_order, sender

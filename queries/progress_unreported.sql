-- scope: project
-- 本月未报: annual projects reported for the month before $period and not for $period (and
-- not completed by then), with last month's figures, for $unit (null: the whole city).
-- sender_reported tells a sender missing altogether from a project left out of its file.
with prev as (
    select
        project_code,
        name,
        unit_code,
        unit_name,
        sender,
        library,
        is_key,
        period,
        annual_plan_wan,
        completed_month_wan,
        completed_ytd_wan,
        progress_text
    from mart_project_month
    where period = cast($period - interval 1 month as date)
      and library <> 'reserve'
      and ($unit is null or unit_code = $unit)
      and not coalesce(regexp_matches(progress_text, '(竣工|完工|建成投产|已投产|已完成)'), false)
      and not coalesce(completed_cum_wan >= total_investment_wan and total_investment_wan > 0, false)
),

now as (
    select project_code
    from mart_project_month
    where period = $period
),

senders_now as (
    select distinct sender
    from partitions
    where period = $period and kind = 'progress'
),

final as (
    select
        p.project_code,
        p.name,
        p.unit_code,
        p.unit_name,
        p.sender,
        p.library,
        p.is_key,
        p.period as last_period,
        p.annual_plan_wan,
        p.completed_month_wan,
        p.completed_ytd_wan,
        p.progress_text,
        p.sender in (select sender from senders_now) as sender_reported
    from prev as p
    where p.project_code not in (select project_code from now)
)

select * from final
order by sender_reported, annual_plan_wan desc nulls last, project_code

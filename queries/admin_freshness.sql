-- scope: public
-- Who has reported for $period, and who is late against $deadline (as of $today).
-- Lateness counts from the 填报日期 written in the file when there is one (never later than
-- the load), else from when the file was loaded.
-- Expected senders: every county and development zone, plus any sender that reported
-- in the $months months up to $period (departments, 市本级).
with units_named as (
    select name as sender, kind, sort_order from units
),

recent as (
    select distinct sender
    from partitions
    where period between $period - to_months($months) and $period
),

expected as (
    select sender from units_named where kind in ('county', 'zone')
    union
    select sender from recent
),

first_loads as (
    -- the first load of the period still in the data (rolled-back loads do not count)
    select
        sender,
        min(loaded_at) as reported_at,
        min(case when filled_date is not null then least(filled_date, loaded_at::date) end) as filled_date
    from load_log
    where action = 'load' and status = 'loaded' and period = $period
    group by sender
),

reported as (
    select
        p.sender,
        string_agg(distinct p.kind, ',' order by p.kind) as kinds,
        string_agg(distinct p.file_name, '、' order by p.file_name) as file_names
    from partitions as p
    where p.period = $period
    group by p.sender
),

projects as (
    select sender, count(distinct project_code) as projects
    from stg_progress
    where period = $period
    group by sender
),

final as (
    select
        e.sender,
        coalesce(u.kind, 'department') as kind,
        coalesce(u.sort_order, 1000) as sort_order,
        r.sender is not null as reported,
        f.reported_at,
        f.filled_date,
        coalesce(f.filled_date, f.reported_at::date) as reported_on,
        r.kinds,
        r.file_names,
        coalesce(pj.projects, 0) as projects,
        $deadline::date as deadline,
        case
            when r.sender is not null
                then greatest(date_diff('day', $deadline::date,
                                        coalesce(f.filled_date, f.reported_at::date, $deadline::date)), 0)
            else greatest(date_diff('day', $deadline::date, $today::date), 0)
        end as days_late,
        case
            when r.sender is not null
                 and coalesce(f.filled_date, f.reported_at::date, $deadline::date) <= $deadline::date then 'on_time'
            when r.sender is not null then 'late'
            when $today::date > $deadline::date then 'missing'
            else 'pending'
        end as state
    from expected as e
    left join units_named as u using (sender)
    left join reported as r using (sender)
    left join first_loads as f using (sender)
    left join projects as pj using (sender)
)

select * from final
order by sort_order, sender

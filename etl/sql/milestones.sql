-- Milestone nodes (挂图作战) of each key project, as last reported, judged against the data date.
-- milestone_codes (etl/warehouse.py): the projects whose nodes are taken from their reports again,
-- all of them or those whose nodes or name a load changed; milestone_kept: the other projects'
-- nodes as stored, judged again against a data date the load moved (empty when it did not).
create or replace temp view milestones_build as

with latest as (
    select * exclude (load_id) from stg_milestones
    where project_code in (select project_code from milestone_codes)
    qualify row_number() over (partition by project_code, node_name order by period desc, source_row) = 1
),

data_date as (
    select last_day(max(period)) as data_date from stg_progress
),

nodes as (
    select
        l.project_code,
        coalesce(p.name, l.name) as project_name,
        cast(coalesce(l.node_seq, row_number() over (partition by l.project_code order by l.node_planned)) as integer)
            as node_seq,
        l.node_name,
        l.node_planned as planned_date,
        l.node_actual as actual_date,
        l.period as reported_period,
        l.remarks
    from latest as l
    left join projects as p on p.project_code = l.project_code
    union all by name
    select project_code, project_name, node_seq, node_name, planned_date, actual_date, reported_period, remarks
    from milestone_kept
),

final as (
    select
        n.project_code,
        n.project_name,
        n.node_seq,
        n.node_name,
        n.planned_date,
        n.actual_date,
        case
            when n.actual_date is not null and n.actual_date <= n.planned_date then 'done'
            when n.actual_date is not null then 'done_late'
            when n.planned_date < d.data_date then 'overdue'
            when n.planned_date <= d.data_date + interval 30 day then 'due'
            else 'planned'
        end as node_state,
        case when n.actual_date is null and n.planned_date < d.data_date
             then date_diff('day', n.planned_date, d.data_date) else 0 end as days_overdue,
        n.reported_period,
        n.remarks
    from nodes as n
    cross join data_date as d
)

select * from final

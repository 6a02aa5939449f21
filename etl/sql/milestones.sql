-- Milestone nodes (挂图作战) of each key project, as last reported, judged against the data date.
-- milestone_codes (etl/warehouse.py): the projects being rebuilt, all of them (a new data date
-- changes every node's state) or those whose nodes or name a load changed.
create or replace temp view milestones_build as

with latest as (
    select * exclude (load_id) from stg_milestones
    where project_code in (select project_code from milestone_codes)
    qualify row_number() over (partition by project_code, node_name order by period desc, source_row) = 1
),

data_date as (
    select last_day(max(period)) as data_date from stg_progress
),

final as (
    select
        l.project_code,
        coalesce(p.name, l.name) as project_name,
        cast(coalesce(l.node_seq, row_number() over (partition by l.project_code order by l.node_planned)) as integer)
            as node_seq,
        l.node_name,
        l.node_planned as planned_date,
        l.node_actual as actual_date,
        case
            when l.node_actual is not null and l.node_actual <= l.node_planned then 'done'
            when l.node_actual is not null then 'done_late'
            when l.node_planned < d.data_date then 'overdue'
            when l.node_planned <= d.data_date + interval 30 day then 'due'
            else 'planned'
        end as node_state,
        case when l.node_actual is null and l.node_planned < d.data_date
             then date_diff('day', l.node_planned, d.data_date) else 0 end as days_overdue,
        l.period as reported_period,
        l.remarks
    from latest as l
    cross join data_date as d
    left join projects as p on p.project_code = l.project_code
)

select * from final

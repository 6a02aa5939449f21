-- scope: project
-- One project's file (一项一档): its latest reported state, as of its last month.
-- $code: the project code. Empty when the code is unknown.
with project as (
    select *
    from projects
    where project_code = $code
),

data as (
    select max(period) as data_period from mart_annual_month
),

final as (
    select
        p.*,
        d.data_period,
        (select count(*) from problems as q where q.project_code = p.project_code and q.state <> 'closed')
            as open_problems,
        (select count(*) from milestones as m where m.project_code = p.project_code and m.node_state = 'overdue')
            as overdue_nodes
    from project as p
    cross join data as d
)

select * from final

-- scope: project
-- One project's file (一项一档): its latest reported state, as of its last month.
-- $code: the project code. Empty when the code is unknown.
-- One read of the project by its code (indexed); its open problems and overdue nodes counted by code.
select
    p.*,
    (select max(period) from mart_annual_month) as data_period,
    (select count(*) from problems as q where q.project_code = $code and q.state <> 'closed') as open_problems,
    (select count(*) from milestones as m where m.project_code = $code and m.node_state = 'overdue') as overdue_nodes
from projects as p
where p.project_code = $code

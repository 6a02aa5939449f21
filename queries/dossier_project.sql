-- scope: project
-- One project's file (一项一档): its latest reported state, as of its last month.
-- $code: the project code. Empty when the code is unknown.
-- One read of the project by its code (indexed); its open problems and overdue nodes counted by
-- code; data_period: the latest month of the city's annual projects (全市数据已更新至…).
select
    p.*,
    (select max(period) from mart_progress_month) as data_period,  -- the city's latest month, for every account
    (select count(*) from problems as q where q.project_code = $code and q.state <> 'closed') as open_problems,
    (select count(*) from milestones as m where m.project_code = $code and m.node_state = 'overdue') as overdue_nodes
from projects as p
where p.project_code = $code

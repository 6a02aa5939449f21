-- scope: project
-- 承诺制 and 代办 in the development zones at $period ($unit's projects; null: the whole city):
-- the projects with approval items (as last reported, etl/sql/mart_approval_month.sql), those
-- with an item under 告知承诺制 and those with one handled by a department for them, per zone
-- and for all zones (unit_name 「全部开发区」, last).
with per_project as (
    select unit_name, project_code, bool_or(is_promise) as is_promise, bool_or(is_agent) as is_agent
    from mart_approval_month
    where period = $period and ($unit is null or unit_code = $unit) and zone_code is not null
    group by unit_name, project_code
),

by_zone as (
    select 0 as part, unit_name, count(*) as projects, count(*) filter (where is_promise) as promise,
        count(*) filter (where is_agent) as agent
    from per_project
    group by unit_name
),

all_zones as (
    select 1 as part, '全部开发区' as unit_name, count(*) as projects,
        count(*) filter (where is_promise) as promise, count(*) filter (where is_agent) as agent
    from per_project
    having count(*) > 0
),

final as (
    select *, promise / projects as promise_share, agent / projects as agent_share
    from (select * from by_zone union all select * from all_zones)
)

select unit_name, projects, promise, agent, promise_share, agent_share
from final
order by part, unit_name nulls first

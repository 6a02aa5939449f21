-- scope: project
-- Key projects a leader held at the end of last month that are no longer theirs at $period:
-- not reported this month, no longer a key project, or handed to another leader.
-- $leader null: every leader.
with prev as (
    select project_code, name, leader_name as prev_leader, unit_name
    from mart_key_month
    where period = cast($period - interval 1 month as date)
      and is_key
      and leader_name is not null
      and ($leader is null or leader_name = $leader)
),

now as (
    select project_code, is_key, leader_name as leader
    from mart_project_month
    where period = $period
),

final as (
    select
        p.prev_leader as leader,
        p.project_code,
        p.name,
        p.unit_name,
        case
            when n.project_code is null then 'not_reported'
            when not n.is_key then 'not_key'
            else 'leader_changed'
        end as reason,
        n.leader as new_leader
    from prev as p
    left join now as n using (project_code)
    where n.project_code is null or not n.is_key or n.leader is distinct from p.prev_leader
)

select * from final order by leader, project_code

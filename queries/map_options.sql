-- scope: project
-- What the map's filters can offer for one month: the leaders and 六新 types of key projects.
with key_projects as (
    select leader, six_new_type
    from mart_key_month
    where period = $period and is_key
),

leaders as (
    select 'leader' as kind, leader as value, count(*) as projects
    from key_projects
    where leader is not null
    group by leader
),

six_new as (
    select 'six_new' as kind, six_new_type as value, count(*) as projects
    from key_projects
    where six_new_type is not null
    group by six_new_type
),

final as (
    select * from leaders
    union all
    select * from six_new
)

select * from final
order by kind, projects desc, value

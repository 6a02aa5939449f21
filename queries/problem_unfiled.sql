-- scope: project
-- 未建档问题: projects whose 存在问题 cell at $period says something, while the problems sheet
-- has no problem of that project reported that month or still open. $no_problem_pattern
-- (etl/problem_rules.py) matches cells that mean "no problem" (「无」, 「暂无」, a dash …).
with texts as (
    select
        period,
        project_code,
        name,
        unit_code,
        unit_name,
        library,
        key_level,
        nullif(trim(leader), '') as leader,
        status,
        trim(problem_text) as problem_text,
        sender
    from project_month
    where period = $period
      and ($unit is null or unit_code = $unit)
      and problem_text is not null
      and not regexp_matches(problem_text, $no_problem_pattern)
),

filed as (
    select distinct project_code
    from problem_month
    where period = $period and (reported_in_period or is_open)
),

final as (
    select t.*, u.sort_order
    from texts as t
    anti join filed as f using (project_code)
    left join units as u on u.code = t.unit_code
)

select * exclude (sort_order)
from final
order by sort_order, project_code

-- scope: project
-- 未建档问题: projects whose 存在问题 cell at $period says something, while the problems sheet
-- has no problem of that project reported that month or still open. $no_problem_pattern
-- (etl/problem_rules.py) matches cells that mean "no problem" (「无」, 「暂无」, a dash …).
-- Whether a problem of the project is filed comes with each row of mart_project_month.
with final as (
    select
        period,
        project_code,
        name,
        unit_code,
        unit_name,
        library,
        key_level,
        leader_name as leader,
        status,
        trim(problem_text) as problem_text,
        sender,
        unit_sort
    from mart_project_month
    where period = $period
      and ($unit is null or unit_code = $unit)
      and problem_text is not null
      and not regexp_matches(problem_text, $no_problem_pattern)
      and not has_filed_problem
)

select * exclude (unit_sort)
from final
order by unit_sort, project_code

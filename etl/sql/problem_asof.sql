-- Problems (问题清单) and the closed-loop rules. The rule text and its thresholds live in
-- etl/problem_rules.py (shown to users); keep the two in step.
--
-- problem_asof: every problem as it stands at the end of every month, taken from its latest
-- report at or before that month. A problem missing from its sender's later report is
-- carried on (flagged 未续报), never dropped.
--   state: closed only when cleared (办结 and the company 满意/基本满意);
--          not cleared and past its deadline -> escalated (督办);
--          办结 but not satisfied (or no answer) -> unsatisfied (办结未销号, still open);
--          otherwise the state the sender reported.
-- problem_month.sql keeps every month (trends, month-over-month changes); problems.sql the
-- latest month.
--
-- rebuild_scope / rebuilt_problems (etl/warehouse.py): a load rebuilds only the months from
-- the first one it changed, and every month of the problems of projects whose name, unit,
-- level or leader changed (the columns taken from `projects`).
create or replace temp view problem_asof as

with reports as (
    select * exclude (load_id)
    from stg_problems
    -- the same problem sent twice in one month (e.g. by a county and a department): keep one
    qualify row_number() over (partition by period, problem_id order by sender, source_row) = 1
),

months as (
    select distinct period from stg_progress
    union
    select distinct period from stg_problems
),

firsts as (
    select problem_id, min(period) as first_period
    from reports
    group by problem_id
),

problem_months as (
    select m.period, f.problem_id, f.first_period
    from months as m
    join firsts as f on f.first_period <= m.period
    where m.period >= (select from_period from rebuild_scope)
       or f.problem_id in (select problem_id from rebuilt_problems)
),

latest_report as (
    select
        pm.period,
        pm.first_period,
        r.period as report_period,
        r.* exclude (period)
    from problem_months as pm
    asof join reports as r
        on pm.problem_id = r.problem_id and pm.period >= r.period
),

report_counts as (
    select pm.period, pm.problem_id, count(*) as months_reported
    from problem_months as pm
    join reports as r on r.problem_id = pm.problem_id and r.period <= pm.period
    group by all
),

-- every month in which a sender sent anything: a later report without the problem drops it
sender_months as (
    select distinct sender, period from partitions
),

with_sender as (
    select l.*, s.period as sender_period
    from latest_report as l
    asof left join sender_months as s
        on l.sender = s.sender and l.period >= s.period
),

cleaned as (
    select
        * exclude (responsible_unit, resp_leader, responsible_person, solution, satisfaction),
        last_day(period) as as_of_date,
        nullif(trim(responsible_unit), '') as responsible_unit,
        nullif(trim(resp_leader), '') as resp_leader,
        nullif(trim(responsible_person), '') as responsible_person,
        nullif(trim(solution), '') as solution,
        nullif(trim(satisfaction), '') as satisfaction
    from with_sender
),

judged as (
    select
        *,
        state as reported_state,
        -- 清零销号 (etl/problem_rules.py SATISFIED)
        state = 'closed' and coalesce(satisfaction in ('满意', '基本满意'), false) as is_cleared
    from cleaned
),

ruled as (
    select
        * exclude (state),
        case
            when is_cleared then 'closed'
            when deadline is not null and deadline < as_of_date then 'escalated'
            when reported_state = 'closed' then 'unsatisfied'
            else reported_state
        end as state,
        not is_cleared and deadline is not null and deadline < as_of_date as is_overdue
    from judged
),

final as (
    select
        r.period,
        r.as_of_date,
        r.problem_id,
        r.project_code,
        coalesce(p.name, r.name) as project_name,
        p.county_code,
        p.county_name,
        coalesce(p.unit_code, su.code) as unit_code,
        coalesce(p.unit_name, su.name, r.sender) as unit_name,
        p.key_level,
        p.leader as project_leader,
        r.problem_type,
        r.description,
        r.found_date,
        r.responsible_unit,
        r.resp_leader,
        r.responsible_person,
        r.solution,
        r.deadline,
        r.reported_state,
        r.state,
        r.closed_date,
        r.satisfaction,
        r.is_cleared,
        r.reported_state = 'closed' and not r.is_cleared as closed_unsatisfied,
        not r.is_cleared as is_open,
        r.is_overdue,
        greatest(date_diff('day', r.found_date,
                           case when r.is_cleared then least(coalesce(r.closed_date, r.as_of_date), r.as_of_date)
                                else r.as_of_date end), 0) as days_open,
        case when r.is_overdue then date_diff('day', r.deadline, r.as_of_date) else 0 end as days_overdue,
        case when r.is_cleared and r.closed_date is not null
             then greatest(date_diff('day', r.found_date, r.closed_date), 0) end as days_to_close,
        concat_ws('、',
            case when r.responsible_unit is null then '责任单位' end,
            case when r.resp_leader is null then '责任领导' end,
            case when r.responsible_person is null then '责任人' end,
            case when r.solution is null then '解决措施' end,
            case when r.deadline is null then '完成时限' end
        ) as missing_fields,
        r.responsible_unit is null or r.resp_leader is null or r.responsible_person is null
            or r.solution is null or r.deadline is null as is_incomplete,
        r.report_period = r.period as reported_in_period,
        -- gone from its sender's later report without being cleared
        not r.is_cleared and r.report_period < r.sender_period as disappeared,
        r.sender,
        r.sender_period,
        r.first_period,
        r.report_period as last_period,
        c.months_reported,
        r.source_file,
        r.source_row
    from ruled as r
    join report_counts as c using (period, problem_id)
    left join projects as p on p.project_code = r.project_code
    left join units as su on su.name = r.sender
)

select * from final

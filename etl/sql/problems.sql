-- One row per problem: its latest report, with the closed-loop rules applied.
-- Effective state: a problem past its deadline and not closed is escalated (督办).
-- 清零销号 needs the company's satisfaction: closed but 不满意 (or no answer) is not cleared.
create or replace table problems as

with reports as (
    select * exclude (load_id) from stg_problems
),

spans as (
    select
        problem_id,
        min(period) as first_period,
        max(period) as last_period,
        count(*) as months_reported
    from reports
    group by problem_id
),

latest as (
    select * from reports
    qualify row_number() over (partition by problem_id order by period desc, source_row) = 1
),

-- the last month each sender reported a problems sheet
sender_last as (
    select sender, max(period) as sender_last_period from reports group by sender
),

data_date as (
    select last_day(max(period)) as data_date from stg_progress
),

final as (
    select
        l.problem_id,
        l.project_code,
        coalesce(p.name, l.name) as project_name,
        p.county_code,
        p.county_name,
        p.unit_code,
        p.unit_name,
        p.key_level,
        p.leader as project_leader,
        l.problem_type,
        l.description,
        l.found_date,
        l.responsible_unit,
        l.resp_leader,
        l.responsible_person,
        l.solution,
        l.deadline,
        l.state as reported_state,
        case
            when l.state = 'closed' then 'closed'
            when l.deadline is not null and l.deadline < d.data_date then 'escalated'
            else l.state
        end as state,
        l.closed_date,
        l.satisfaction,
        l.state = 'closed' and coalesce(l.satisfaction in ('满意', '基本满意'), false) as is_cleared,
        l.state = 'closed' and not coalesce(l.satisfaction in ('满意', '基本满意'), false)
            as closed_unsatisfied,
        l.state <> 'closed' and l.deadline is not null and l.deadline < d.data_date as is_overdue,
        date_diff('day', l.found_date, coalesce(case when l.state = 'closed' then l.closed_date end, d.data_date))
            as days_open,
        case when l.state <> 'closed' and l.deadline < d.data_date
             then date_diff('day', l.deadline, d.data_date) else 0 end as days_overdue,
        concat_ws('、',
            case when l.responsible_unit is null then '责任单位' end,
            case when l.resp_leader is null then '责任领导' end,
            case when l.responsible_person is null then '责任人' end,
            case when l.solution is null then '解决措施' end,
            case when l.deadline is null then '完成时限' end
        ) as missing_fields,
        l.responsible_unit is null or l.resp_leader is null or l.responsible_person is null
            or l.solution is null or l.deadline is null as is_incomplete,
        -- gone from its sender's later reports without being closed
        l.state <> 'closed' and l.period < sl.sender_last_period as disappeared,
        l.sender,
        s.first_period,
        s.last_period,
        s.months_reported,
        l.source_file,
        l.source_row
    from latest as l
    join spans as s using (problem_id)
    join sender_last as sl using (sender)
    cross join data_date as d
    left join projects as p on p.project_code = l.project_code
)

select * from final

-- scope: project
-- Factor guarantees of $unit's projects (null: the whole city) at $period per kind (as last
-- reported, etl/sql/mart_factor_month.sql): projects, needed, secured and still missing (in the
-- kind's unit), the secured share, projects with a gap, factors past their planned date.
-- per project first, so each project is counted once without a distinct count over the month
with per_project as (
    select
        kind,
        kind_seq,
        unit,
        project_code,
        sum(needed) as needed,
        sum(secured) as secured,
        sum(gap) as gap,
        bool_or(gap > 0) as has_gap,
        count(*) filter (where is_overdue) as overdue
    from mart_factor_month
    where period = $period and ($unit is null or unit_code = $unit)
    group by kind, kind_seq, unit, project_code
),

final as (
    select
        kind,
        kind_seq,
        unit,
        count(*) as projects,
        coalesce(sum(needed), 0) as needed,
        coalesce(sum(secured), 0) as secured,
        coalesce(sum(gap), 0) as gap,
        count(*) filter (where has_gap) as gap_projects,
        cast(sum(overdue) as bigint) as overdue
    from per_project
    group by kind, kind_seq, unit
)

select *, secured / nullif(needed, 0) as secured_rate
from final
order by kind_seq, unit

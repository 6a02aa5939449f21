-- scope: project
-- Factor guarantees of $unit's projects (null: the whole city) at $period per kind (as last
-- reported, etl/sql/mart_factor_month.sql): projects, needed, secured and still missing (in the
-- kind's unit), the secured share, projects with a gap, factors past their planned date.
with factors as (
    select *
    from mart_factor_month
    where period = $period and ($unit is null or unit_code = $unit)
),

final as (
    select
        kind,
        kind_seq,
        unit,
        count(distinct project_code) as projects,
        coalesce(sum(needed), 0) as needed,
        coalesce(sum(secured), 0) as secured,
        coalesce(sum(gap), 0) as gap,
        count(distinct project_code) filter (where gap > 0) as gap_projects,
        count(*) filter (where is_overdue) as overdue
    from factors
    group by kind, kind_seq, unit
)

select *, secured / nullif(needed, 0) as secured_rate
from final
order by kind_seq, unit

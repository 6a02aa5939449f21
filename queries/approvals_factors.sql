-- scope: project
-- Every factor guarantee of $unit's projects (null: the whole city) as last reported at or
-- before $period (etl/sql/factors.sql), with the project's key level and library at $period.
with latest as (
    select *
    from factor_month
    where period <= $period
    qualify row_number() over (partition by project_code, kind, detail order by period desc) = 1
),

final as (
    select
        l.* exclude (unit_code, unit_name, zone_code, is_key, key_level, library, actual_start),
        coalesce(pm.unit_code, l.unit_code) as unit_code,
        coalesce(pm.unit_name, l.unit_name) as unit_name,
        coalesce(pm.zone_code, l.zone_code) as zone_code,
        coalesce(pm.is_key, l.is_key) as is_key,
        coalesce(pm.key_level, l.key_level) as key_level,
        coalesce(pm.library, l.library) as library,
        pm.actual_start,
        pm.status
    from latest as l
    left join project_month as pm on pm.period = $period and pm.project_code = l.project_code
    where $unit is null or coalesce(pm.unit_code, l.unit_code) = $unit
)

select * from final
order by project_code, kind_seq, detail

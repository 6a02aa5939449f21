-- Factor guarantees (要素保障). factor_month: every project × factor (kind and detail, e.g.
-- 资金 · 地方政府专项债) as reported each month, in the kind's unit (亩, 吨标准煤, 吨, 万元),
-- with what is still missing and whether it is past its planned date (not fully secured by the
-- end of the report's month; factors.sql: the same as last reported).
-- rebuild_scope / changed_projects (etl/warehouse.py): as in approval_month.sql.
create or replace temp view factor_month_build as

with reports as (
    select * exclude (load_id)
    from stg_factors
    where period >= (select from_period from rebuild_scope)
       or project_code in (select project_code from changed_projects)
    qualify row_number() over (
        partition by period, project_code, factor_kind, factor_detail order by sender, source_row) = 1
),

final as (
    select
        r.project_code,
        coalesce(p.name, r.name) as name,
        r.factor_kind as kind,
        list_position(['land', 'energy', 'emission', 'funding'], r.factor_kind) as kind_seq,
        r.factor_detail as detail,
        r.factor_unit as unit,
        r.needed,
        r.secured,
        greatest(r.needed - r.secured, 0) as gap,
        case when r.needed > 0 then least(r.secured / r.needed, 1) end as secured_rate,
        r.factor_department as department,
        r.planned_date,
        r.secured < r.needed and r.planned_date is not null and r.planned_date < last_day(r.period) as is_overdue,
        r.period,
        last_day(r.period) as as_of_date,
        p.unit_code,
        p.unit_name,
        p.county_code,
        p.zone_code,
        coalesce(p.is_key, false) as is_key,
        p.key_level,
        p.library,
        p.invest_kind,
        p.sector,
        p.actual_start,
        r.sender,
        r.source_file,
        r.source_row,
        r.remarks
    from reports as r
    left join projects as p using (project_code)
)

select * from final

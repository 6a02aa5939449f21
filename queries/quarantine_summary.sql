-- scope: project
-- Rows of $period held back (待核实: quarantined and not superseded by a later file of the
-- same sender) and the annual plan investment they carry, for $unit's figures (null: the
-- whole city; a county or zone is matched by its sender name). A row refused for several
-- reasons counts once.
with held as (
    select
        q.sender,
        q.source_file,
        q.sheet,
        q.source_row,
        max(q.plan_wan) as plan_wan
    from quarantine as q
    where q.period = $period
      and not coalesce(q.superseded, false)
      and q.kind in ('progress', 'reserve')
      and ($unit is null or q.sender = (select name from units where code = $unit))
    group by q.sender, q.source_file, q.sheet, q.source_row
),

final as (
    select
        count(*) as rows_held,
        count(distinct sender) as senders,
        coalesce(sum(plan_wan), 0) as plan_wan
    from held
)

select * from final

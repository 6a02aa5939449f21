-- scope: public
-- What the warehouse already holds from $sender for $period (a new file replaces it).
with parts as (
    select * from partitions
    where period = $period and sender = $sender
),

final as (
    select p.kind, p.file_name, p.sha256, l.loaded_at, l.user_name
    from parts as p
    left join load_log as l on l.load_id = p.load_id and l.action = 'load'
)

select * from final
order by kind

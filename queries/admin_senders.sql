-- scope: public
-- Every sender that has a partition in the warehouse (the 填报单位 choices of the upload page).
with senders as (
    select distinct sender
    from partitions
    where sender is not null
),

final as (
    select sender from senders
)

select * from final
order by sender

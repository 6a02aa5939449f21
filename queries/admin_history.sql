-- scope: public
-- Every load and roll back recorded in the current state, newest first.
with log as (
    select * from load_log
),

final as (
    select
        load_id,
        loaded_at,
        action,
        user_name,
        file_name,
        sha256,
        period,
        sender,
        kinds,
        rows_read,
        rows_accepted,
        rows_quarantined,
        status,
        message,
        state_file
    from log
)

select * from final
order by loaded_at desc, load_id desc

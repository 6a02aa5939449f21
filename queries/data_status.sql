-- scope: public
-- The data date and the freshness of the warehouse.
with loads as (
    select max(loaded_at) as last_load_at, count(*) filter (where action = 'load') as loads
    from load_log
    where status = 'loaded'
),

latest as (
    select max(period) as data_period from mart_annual_month
),

senders as (
    select count(distinct sender) as senders_reported
    from partitions
    where period = (select data_period from latest)
)

select
    l.data_period,
    last_day(l.data_period) as data_date,
    d.last_load_at,
    d.loads,
    s.senders_reported
from latest as l, loads as d, senders as s

-- scope: public
-- Year-to-date completion and plan at every month of this year (up to $period) and of every
-- earlier year, for the city (unit_code null) and each county / development zone: the input
-- of the year-end forecast (ui/forecast.py). $library: new_start, continuing, key or null.
-- each month's sums per unit, built at load time (etl/sql/mart_progress_month.sql)
with annual as (
    select period, unit_code, plan_wan, ytd_wan, projects
    from mart_progress_month
    where cut = coalesce($library, 'all') and dim = 'unit'
      and period <= $period
),

final as (
    select
        unit_code,
        year(period) as year,
        month(period) as month,
        sum(plan_wan) as plan_wan,
        sum(ytd_wan) as ytd_wan,
        cast(sum(projects) as bigint) as projects
    from annual
    group by grouping sets ((unit_code, year(period), month(period)), (year(period), month(period)))
)

select * from final order by unit_code nulls first, year, month

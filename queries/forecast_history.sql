-- scope: public
-- Year-to-date completion and plan at every month of this year (up to $period) and of every
-- earlier year, for the city (unit_code null) and each county / development zone: the input
-- of the year-end forecast (ui/forecast.py). $library: new_start, continuing, key or null.
with annual as (
    select period, unit_code, annual_plan_wan, completed_ytd_wan
    from project_month
    where library <> 'reserve'
      and ($library is null or ($library = 'key' and is_key) or library = $library)
      and period <= $period
),

final as (
    select
        unit_code,
        year(period) as year,
        month(period) as month,
        sum(annual_plan_wan) as plan_wan,
        sum(completed_ytd_wan) as ytd_wan,
        count(*) as projects
    from annual
    group by grouping sets ((unit_code, year(period), month(period)), (year(period), month(period)))
)

select * from final order by unit_code nulls first, year, month

-- Plan and completion of the annual projects of every month, summed per library cut, per county
-- or development zone and per value of each dimension the pages cut by: the roll-ups the headline
-- figures (queries/overview_kpis.sql), the year's curve (queries/monthly_cumulative.sql), the
-- forecast's history (queries/forecast_history.sql), the unit table (queries/by_unit.sql) and the
-- progress page's cuts (queries/progress_by_dim.sql) read, so none sums the projects again.
-- Aggregates only, no project rows: published to everyone.
--   due_to_start / started: new starts planned to start by the month's end, and of them those
--   started (a start date, or money spent this year)
--   cut: as in mart_annual_month ('all', 'new_start', 'continuing', 'key')
--   dim: 'unit', 'sector', 'library', 'key_level', 'six_new', 'invest_kind'; group_key is the
--        project's value of it (its unit_code for 'unit'), null when not given
-- mart_periods (etl/warehouse.py): the months being rebuilt.
create or replace temp view mart_progress_month_build as

with annual as (
    select *
    from mart_annual_month
    where period in (select period from mart_periods)
),

keyed as (
    select a.*, d.dim,
        case d.dim
            when 'unit' then a.unit_code
            when 'sector' then a.sector
            when 'library' then a.library
            when 'key_level' then a.key_level
            when 'six_new' then a.six_new_type
            when 'invest_kind' then a.invest_kind
        end as group_key
    from annual as a
    cross join (values ('unit'), ('sector'), ('library'), ('key_level'), ('six_new'), ('invest_kind')) as d(dim)
),

final as (
    select
        period,
        cut,
        dim,
        unit_code,
        group_key,
        count(*) as projects,
        sum(annual_plan_wan) as plan_wan,
        sum(completed_month_wan) as month_wan,
        sum(completed_ytd_wan) as ytd_wan,
        count(*) filter (where status = 'red') as red,
        count(*) filter (where status = 'yellow') as yellow,
        count(*) filter (where status = 'green') as green,
        count(*) filter (where library = 'new_start') as new_start,
        count(*) filter (where library = 'continuing') as continuing,
        count(*) filter (where is_key) as key_projects,
        count(*) filter (where library = 'new_start' and planned_start <= last_day(period)) as due_to_start,
        count(*) filter (where library = 'new_start' and planned_start <= last_day(period)
                         and (actual_start is not null or completed_ytd_wan > 0)) as started,
        count(*) filter (where is_key and status = 'red') as key_red,
        count(*) filter (where is_key and status = 'yellow') as key_yellow,
        count(*) filter (where is_key and status = 'green') as key_green
    from keyed
    group by period, cut, dim, unit_code, group_key
)

select * from final

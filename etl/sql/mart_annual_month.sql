-- The annual projects (年度建设项目: new starts and continuing, key projects among them) of
-- every month, once for each library cut the pages offer, with each project's previous report.
--   cut: 'all' (every annual project), 'new_start' or 'continuing' (its library), and 'key'
--        when it is a key project; a page's library filter is `cut = coalesce($library, 'all')`.
--   prev_*: the project's latest annual report before this month (any earlier month, as
--        lag() over its months would give), for the statistics office's questions.
-- rebuild_scope (etl/warehouse.py): the months from the first one a load changed.
create or replace temp view mart_annual_month_build as

with annual as (
    select * from project_month where library <> 'reserve'
),

rebuilt as (
    select * from annual where period >= (select from_period from rebuild_scope)
),

with_previous as (
    select
        t.*,
        p.period as prev_period,
        p.annual_plan_wan as prev_plan_wan,
        p.completed_ytd_wan as prev_ytd_wan,
        p.completed_cum_wan as prev_cum_wan,
        p.total_investment_wan as prev_total_wan
    from rebuilt as t
    asof left join (
        select period, project_code, annual_plan_wan, completed_ytd_wan, completed_cum_wan, total_investment_wan
        from annual
    ) as p
        on t.project_code = p.project_code and t.period > p.period
),

cuts as (
    select 'all' as cut, * from with_previous
    union all
    select library as cut, * from with_previous
    union all
    select 'key' as cut, * from with_previous where is_key
),

final as (
    select
        period,
        cut,
        project_code,
        name,
        owner,
        county_code,
        zone_code,
        unit_code,
        unit_name,
        sender,
        library,
        key_level,
        is_key,
        sector,
        six_new_type,
        invest_kind,
        responsible_unit,
        total_investment_wan,
        annual_plan_wan,
        completed_month_wan,
        completed_ytd_wan,
        completed_cum_wan,
        progress_text,
        planned_start,
        actual_start,
        time_progress,
        completion_rate,
        gap_pts,
        status,
        status_reason,
        prev_period,
        prev_plan_wan,
        prev_ytd_wan,
        prev_cum_wan,
        prev_total_wan
    from cuts
)

select * from final

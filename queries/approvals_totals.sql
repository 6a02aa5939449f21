-- scope: project
-- The approvals page's headline counts for $unit's projects (null: the whole city) at $period,
-- one row: approval items as last reported by then (etl/sql/mart_approval_month.sql) and factor
-- guarantees (etl/sql/mart_factor_month.sql). Also the quarterly analysis's totals.
--   unknown_calendar: items whose dates the holiday calendar does not cover (no working days)
--   overdue: items past their limit; overdue_waiting: of them still being handled
--   gap_projects: projects with a factor still missing; key_waiting_projects / key_overdue_*:
--   key projects waiting for a factor, and past its planned date (projects and factor rows)
--   land_total_mu / land_key_mu: land secured, and of it for key projects
with items as (
    select *
    from mart_approval_month
    where period = $period and ($unit is null or unit_code = $unit)
),

factors as (
    select *
    from mart_factor_month
    where period = $period and ($unit is null or unit_code = $unit)
),

item_counts as (
    select
        count(*) as items,
        count(*) filter (where not calendar_known) as unknown_calendar,
        count(*) filter (where is_waiting) as waiting,
        count(*) filter (where completed_date is not null) as done,
        count(*) filter (where is_overdue and accepted_date is not null) as overdue,
        count(*) filter (where is_overdue and is_waiting) as overdue_waiting
    from items
),

-- per project first, so each project is counted once without a distinct count over the month
factor_projects as (
    select
        project_code,
        count(*) as factors,
        bool_or(gap > 0) as has_gap,
        count(*) filter (where is_overdue) as overdue,
        bool_or(is_key and gap > 0) as key_waiting,
        bool_or(is_key and gap > 0 and is_overdue) as key_overdue,
        count(*) filter (where is_key and gap > 0 and is_overdue) as key_overdue_rows,
        sum(secured) filter (where kind = 'land') as land,
        sum(secured) filter (where kind = 'land' and is_key) as land_key
    from factors
    group by project_code
),

factor_counts as (
    select
        cast(coalesce(sum(factors), 0) as bigint) as factors,
        count(*) filter (where has_gap) as gap_projects,
        cast(coalesce(sum(overdue), 0) as bigint) as factors_overdue,
        count(*) filter (where key_waiting) as key_waiting_projects,
        count(*) filter (where key_overdue) as key_overdue_projects,
        cast(coalesce(sum(key_overdue_rows), 0) as bigint) as key_overdue_rows,
        coalesce(sum(land), 0) as land_total_mu,
        coalesce(sum(land_key), 0) as land_key_mu
    from factor_projects
)

select * from item_counts cross join factor_counts

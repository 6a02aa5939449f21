-- scope: project
-- The key projects of $period with their rows of the $months months up to it (oldest first),
-- the input of the key-project review rules (etl/review.py, thresholds in config/review.toml).
with key_now as (
    select project_code
    from mart_key_month
    where period = $period and is_key
),

final as (
    select
        p.period,
        p.project_code,
        p.name,
        p.unit_code,
        p.unit_name,
        p.library,
        p.key_level,
        p.is_key,
        p.sector,
        p.leader,
        p.responsible_unit,
        p.total_investment_wan,
        p.annual_plan_wan,
        p.completed_ytd_wan,
        p.completion_rate,
        p.time_progress,
        p.gap_pts,
        p.planned_start,
        p.actual_start,
        p.months_late_start,
        p.has_overdue_problem,
        p.is_done,
        p.status,
        p.status_reason
    from mart_project_month as p
    semi join key_now as k on k.project_code = p.project_code
    where p.period <= $period
      and p.period > $period - to_months($months)
)

select * from final order by project_code, period

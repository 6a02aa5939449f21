-- scope: project
-- Every month a project was reported: investment, 形象进度 and its red/yellow/green, oldest first.
select
    period,
    library,
    key_level,
    annual_plan_wan,
    completed_month_wan,
    completed_ytd_wan,
    completed_cum_wan,
    completion_rate,
    time_progress,
    gap_pts,
    progress_text,
    status,
    status_reason
from project_month
where project_code = $code
order by period

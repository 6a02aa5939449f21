-- scope: project
-- One project month by month, as reported: the progress drill-down's monthly history and the
-- project file's (一项一档) investment, 形象进度 and red/yellow/green, oldest first.
with history as (
    select *
    from project_month
    where project_code = $project
),

final as (
    select
        period,
        name,
        unit_code,
        unit_name,
        library,
        key_level,
        annual_plan_wan,
        completed_month_wan,
        completed_ytd_wan,
        completed_cum_wan,
        completion_rate,
        time_progress,
        gap_pts,
        status,
        status_reason,
        progress_text,
        sender,
        source_file
    from history
)

select * from final order by period

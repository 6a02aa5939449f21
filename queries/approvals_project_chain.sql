-- scope: project
-- One project's approval chain as last reported at or before $period, for its file (一项一档):
-- each item's department, dates, working days on the official calendar against its limit.
select *
from approval_month
where project_code = $project and period <= $period
qualify row_number() over (partition by project_code, item_name order by period desc) = 1
order by item_seq, accepted_date nulls last, item_name

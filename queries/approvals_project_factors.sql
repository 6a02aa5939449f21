-- scope: project
-- One project's factor guarantees as last reported at or before $period, for its file (一项一档).
select *
from factor_month
where project_code = $project and period <= $period
qualify row_number() over (partition by project_code, kind, detail order by period desc) = 1
order by kind_seq, detail

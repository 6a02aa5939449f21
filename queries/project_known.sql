-- scope: public
-- Whether a project code is known at all, and nothing else of the project: a project file of
-- another unit's project says 「无权查看该项目」 rather than 「没有找到」.
select count(*) > 0 as known
from projects
where project_code = $code

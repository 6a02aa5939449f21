-- scope: project
-- The unit (development zone, else county) each of the named projects belongs to. The check of
-- a unit's upload runs it for the whole city: the answer only decides which of the file's rows
-- are the unit's own and is never shown.
select distinct project_code, unit_code
from projects
where list_contains($codes, project_code)

-- scope: public
-- Counties, development zones and 市本级, in the official order.
select code, name, kind, sort_order
from units
order by sort_order

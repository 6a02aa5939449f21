-- scope: project
-- Find projects by a piece of their name or code (case-insensitive); key projects first.
-- $text is matched literally (no wildcards); at most 30 rows.
with matches as (
    select
        project_code,
        name,
        unit_name,
        key_level,
        library,
        status,
        last_period
    from projects
    where contains(lower(name), lower(trim($text)))
       or contains(lower(project_code), lower(trim($text)))
),

final as (
    select * from matches
    order by key_level is null, last_period desc, name
    limit 30
)

select * from final

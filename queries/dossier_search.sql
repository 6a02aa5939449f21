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
    -- lower() of every name costs more than the search itself: a text without letters that
    -- have a case (Chinese, digits, a code) is matched as it is
    where case when lower(trim($text)) = upper(trim($text))
               then contains(name, trim($text)) or contains(project_code, trim($text))
               else contains(lower(name), lower(trim($text))) or contains(lower(project_code), lower(trim($text)))
          end
),

final as (
    select * from matches
    order by key_level is null, last_period desc, name
    limit 30
)

select * from final

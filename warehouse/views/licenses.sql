-- licenses: the licence of every current model, from its card metadata and its license:<id> tags.
-- Grain: one row per model currently on the Hub (as of the latest load), as models.
-- Reads: models.
-- The card's `license` (cardData, as the listing serves it) is what the owner declared; the Hub makes the
-- license:<id> tags from it, so the tags stand in when the listing carries no cardData. Ids are compared
-- lowercased and trimmed (the Hub's ids are lowercase; metadata_problems keeps the case mistakes).
CREATE OR REPLACE VIEW licenses AS
WITH declared AS (
    SELECT
        model_id,
        CASE json_type(card_data, '$.license')
            WHEN 'VARCHAR' THEN [lower(trim(card_data ->> '$.license'))]
            WHEN 'ARRAY' THEN list_transform(
                list_filter(json_extract(card_data, '$.license[*]'), lambda j: json_type(j) = 'VARCHAR'),
                lambda j: lower(trim(j ->> '$')))
            ELSE []
        END AS card_ids,
        list_transform(list_filter(coalesce(tags, []), lambda t: starts_with(t, 'license:')),
                       lambda t: lower(trim(t[9:]))) AS tag_ids,
        card_data ->> '$.license_name' AS license_name,
        card_data ->> '$.license_link' AS license_link
    FROM models
), cleaned AS (
    SELECT model_id, license_name, license_link,
           list_sort(list_distinct(list_filter(card_ids, lambda i: i <> ''))) AS card_ids,
           list_sort(list_distinct(list_filter(tag_ids, lambda i: i <> ''))) AS tag_ids
    FROM declared
), chosen AS (
    SELECT *,
           CASE WHEN len(card_ids) > 0 THEN card_ids ELSE tag_ids END AS license_ids,
           CASE WHEN len(card_ids) > 0 THEN 'card' WHEN len(tag_ids) > 0 THEN 'tags' END AS declared_in
    FROM cleaned
)
SELECT
    model_id,
    CASE WHEN len(license_ids) = 1 THEN license_ids[1] END AS license_id,
    license_ids,
    declared_in,
    CASE WHEN len(card_ids) > 0 AND len(tag_ids) > 0 THEN card_ids = tag_ids END AS card_and_tags_agree,
    license_name,
    license_link
FROM chosen;
COMMENT ON VIEW licenses IS 'The licence of every current model, from the card metadata (license) or else its license:<id> tags: one row per model in models.';
COMMENT ON COLUMN licenses.model_id IS 'Repo id, author/name.';
COMMENT ON COLUMN licenses.license_id IS 'The licence id (lowercase, e.g. apache-2.0, mit, other) when exactly one is declared; NULL when none or several are (see license_ids).';
COMMENT ON COLUMN licenses.license_ids IS 'Every licence id declared, sorted: the card''s license (a string or a list) when it has one, else the license:<id> tags; empty when neither names one.';
COMMENT ON COLUMN licenses.declared_in IS 'Where license_ids come from: card (card metadata), tags (license:<id> tags only) or NULL (no licence declared).';
COMMENT ON COLUMN licenses.card_and_tags_agree IS 'Whether the card''s licence ids and the license:<id> tags name the same ids; NULL unless both name some.';
COMMENT ON COLUMN licenses.license_name IS 'The card''s license_name, as written (the name of the licence when license is other).';
COMMENT ON COLUMN licenses.license_link IS 'The card''s license_link, as written (where the licence text is when license is other); free text from the card.';

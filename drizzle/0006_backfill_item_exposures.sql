-- Counters for studies that already have participants: what assignment used to count on
-- every arrival (non-preview assignments per item, and those with sample A on the left).
UPDATE "items" SET
	"exposures" = c."exposures",
	"a_left" = c."a_left"
FROM (
	SELECT a."item_id",
		count(*)::int AS "exposures",
		(count(*) FILTER (WHERE a."left_sample_id" = i."sample_a_id"))::int AS "a_left"
	FROM "assignments" a
	JOIN "items" i ON i."id" = a."item_id"
	JOIN "participants" p ON p."id" = a."participant_id" AND NOT p."preview"
	GROUP BY a."item_id"
) c
WHERE "items"."id" = c."item_id";

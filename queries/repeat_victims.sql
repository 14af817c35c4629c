-- Victims with three or more domestic-abuse incidents in a force's data (the
-- MARAC repeat threshold, counted over the whole extract), with their span.
SELECT
    force,
    victim_id,
    COUNT(*) AS da_incidents,
    MIN(date) AS first_date,
    MAX(date) AS last_date,
    SUM(missed_opportunities) AS missed_opportunities
FROM incident_facts
WHERE domestic AND victim_id IS NOT NULL
GROUP BY force, victim_id
HAVING COUNT(*) >= 3
ORDER BY force, da_incidents DESC, victim_id

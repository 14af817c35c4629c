-- Flags raised per force(s), rule and severity (a flag whose evidence spans
-- forces is counted under the joined list, e.g. `humberside|northumbria`).
SELECT
    forces,
    rule,
    family,
    severity,
    COUNT(*) AS flags,
    COUNT(DISTINCT subject_id) AS subjects
FROM flags
GROUP BY forces, rule, family, severity
ORDER BY forces, rule, family, severity

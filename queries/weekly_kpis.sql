-- Domestic-abuse KPIs per force and ISO week (local time), from incident_facts.
-- Counts only: the packs turn them into shares (and suppress small counts in
-- the evaluation pack). Response minutes run from the first contact to arrival.
-- A measure with a deadline is null where the deadline is after the data's
-- end, and its denominator (attendance_due, assessment_due, referral_due,
-- review_due) counts only the incidents whose deadline has passed.
SELECT
    force,
    week,
    COUNT(*) AS da_incidents,
    SUM(CASE WHEN channel = '999' THEN 1 ELSE 0 END) AS via_999,
    SUM(CASE WHEN channel = '101' THEN 1 ELSE 0 END) AS via_101,
    SUM(CASE WHEN channel = 'ONLINE' THEN 1 ELSE 0 END) AS via_online,
    SUM(CASE WHEN channel NOT IN ('999', '101', 'ONLINE') THEN 1 ELSE 0 END) AS via_other,
    SUM(CASE WHEN initial_grade = 'EMERGENCY' THEN 1 ELSE 0 END) AS graded_emergency,
    SUM(CASE WHEN initial_grade = 'PRIORITY' THEN 1 ELSE 0 END) AS graded_priority,
    SUM(CASE WHEN initial_grade = 'SCHEDULED' THEN 1 ELSE 0 END) AS graded_scheduled,
    SUM(CASE WHEN initial_grade = 'NO_DEPLOYMENT' THEN 1 ELSE 0 END) AS graded_no_deployment,
    SUM(CASE WHEN upgraded THEN 1 ELSE 0 END) AS upgraded,
    SUM(CASE WHEN downgraded THEN 1 ELSE 0 END) AS downgraded,
    SUM(CASE WHEN attended THEN 1 ELSE 0 END) AS attended,
    COUNT(within_target) AS attendance_due,
    SUM(CASE WHEN within_target THEN 1 ELSE 0 END) AS within_target,
    COUNT(response_minutes) AS responses,
    MEDIAN(response_minutes) AS median_response_minutes,
    QUANTILE_CONT(response_minutes, 0.9) AS p90_response_minutes,
    SUM(CASE WHEN risk_assessed THEN 1 ELSE 0 END) AS risk_assessed,
    COUNT(risk_assessed) AS assessment_due,
    SUM(CASE WHEN high_risk THEN 1 ELSE 0 END) AS high_risk,
    SUM(CASE WHEN marac_referred THEN 1 ELSE 0 END) AS high_risk_marac_referred,
    SUM(CASE WHEN idva_referred THEN 1 ELSE 0 END) AS high_risk_idva_referred,
    COUNT(marac_referred) AS referral_due,
    SUM(CASE WHEN review_expected THEN 1 ELSE 0 END) AS review_expected,
    SUM(CASE WHEN reviewed THEN 1 ELSE 0 END) AS reviewed,
    COUNT(reviewed) AS review_due,
    COUNT(victim_id) AS with_victim,
    SUM(CASE WHEN repeat_24h THEN 1 ELSE 0 END) AS repeat_24h,
    SUM(CASE WHEN repeat_7d THEN 1 ELSE 0 END) AS repeat_7d,
    SUM(CASE WHEN repeat_30d THEN 1 ELSE 0 END) AS repeat_30d,
    SUM(missed_opportunities) AS missed_opportunities,
    SUM(CASE WHEN missed_opportunities > 0 THEN 1 ELSE 0 END) AS with_missed_opportunity
FROM incident_facts
WHERE domestic
GROUP BY force, week
ORDER BY force, week

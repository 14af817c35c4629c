-- Attendance of domestic-abuse incidents per force, week and final grade:
-- how many were due, how many attended within their target, and the median
-- and 90th percentile minutes from first contact to arrival.
SELECT
    force,
    week,
    final_grade AS grade,
    COUNT(within_target) AS attendance_due,
    SUM(CASE WHEN within_target THEN 1 ELSE 0 END) AS within_target,
    COUNT(response_minutes) AS responses,
    MEDIAN(response_minutes) AS median_response_minutes,
    QUANTILE_CONT(response_minutes, 0.9) AS p90_response_minutes
FROM incident_facts
WHERE domestic AND final_grade IS NOT NULL
GROUP BY force, week, final_grade
ORDER BY force, week, grade

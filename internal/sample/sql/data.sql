-- Generated, reproducible HR data. The number of employees comes from the
-- setting tidemark.sample_employees (set by the loader); setseed makes every
-- load produce the same rows. Dates are relative to a fixed day (2025-01-01) so
-- two loads are identical whatever day they run.

SELECT setseed(0.2025);

INSERT INTO hr.departments (dept_no, dept_name, cost_center) VALUES
    ('d001', 'Marketing',          'CC-110'),
    ('d002', 'Finance',            'CC-120'),
    ('d003', 'Human Resources',    'CC-130'),
    ('d004', 'Production',         'CC-210'),
    ('d005', 'Development',        'CC-220'),
    ('d006', 'Quality Management', 'CC-230'),
    ('d007', 'Sales',              'CC-310'),
    ('d008', 'Research',           'CC-320'),
    ('d009', 'Customer Service',   'CC-330');

CREATE TEMP TABLE sample_plan ON COMMIT DROP AS
WITH names AS (
    SELECT ARRAY['Anna','Maria','Sofia','Emma','Olivia','Lena','Clara','Julia','Hannah','Laura',
                 'Sara','Elena','Nora','Ines','Alice','Chloe','Mia','Zoe','Ingrid','Astrid',
                 'Priya','Aiko','Mei','Fatima','Amara','Lucia','Marta','Eva','Greta','Yasmin'] AS f,
           ARRAY['Lucas','Noah','Leon','Paul','Felix','Jonas','Elias','David','Samuel','Adam',
                 'Omar','Mateo','Hugo','Louis','Arthur','Jakob','Tomas','Ivan','Kenji','Ravi',
                 'Daniel','Marco','Pablo','Erik','Nils','Anton','Karim','Yusuf','Liam','Oscar'] AS m,
           ARRAY['Müller','Schmidt','Schneider','Fischer','Weber','Meyer','Wagner','Becker','Hoffmann','Koch',
                 'Rossi','Russo','Bianchi','Garcia','Martinez','Lopez','Dubois','Martin','Bernard','Moreau',
                 'Smith','Jones','Taylor','Brown','Wilson','Evans','Novak','Horvat','Kowalski','Nowak',
                 'Jensen','Nielsen','Hansen','Berg','Lindqvist','Virtanen','Silva','Santos','Costa','Pereira',
                 'Tanaka','Sato','Kim','Lee','Chen','Wang','Singh','Patel','Okafor','Mensah'] AS l,
           -- Development and Production are larger than HR or Finance.
           ARRAY['d001','d002','d003','d004','d004','d004','d005','d005','d005','d005',
                 'd006','d007','d007','d007','d008','d008','d009','d009'] AS depts
),
raw AS (
    SELECT g,
           random() AS r_gender, random() AS r_first, random() AS r_last,
           random() AS r_hire, random() AS r_age, random() AS r_leave, random() AS r_leave_at,
           random() AS r_dept1, random() AS r_dept2, random() AS r_move, random() AS r_move_at,
           random() AS r_base, random() AS r_growth
    FROM generate_series(1, current_setting('tidemark.sample_employees')::int) AS g
),
people AS (
    SELECT r.*, n.depts,
           CASE WHEN r_gender < 0.49 THEN 'F' WHEN r_gender < 0.98 THEN 'M' ELSE 'X' END AS gender,
           n.l[1 + floor(r_last * array_length(n.l, 1))::int] AS last_name,
           date '2005-01-01' + floor(r_hire * 7100)::int AS hire_date,
           n
    FROM raw r, names n
)
SELECT 10000 + g AS emp_no,
       CASE WHEN gender = 'F' OR (gender = 'X' AND r_first < 0.5)
            THEN (n).f[1 + floor(r_first * 30)::int]
            ELSE (n).m[1 + floor(r_first * 30)::int] END AS first_name,
       last_name,
       gender,
       hire_date,
       (hire_date - make_interval(years => 21 + floor(r_age * 38)::int, days => floor(r_hire * 300)::int))::date AS birth_date,
       CASE WHEN r_leave < 0.09
            THEN hire_date + 30 + floor(r_leave_at * greatest(date '2025-01-01' - hire_date - 31, 1))::int END AS leave_date,
       depts[1 + floor(r_dept1 * array_length(depts, 1))::int] AS dept1,
       CASE WHEN r_move < 0.2 THEN depts[1 + floor(r_dept2 * array_length(depts, 1))::int] END AS dept2,
       r_move_at,
       round((32000 + r_base * 38000)::numeric, -2) AS base,
       1.015 + r_growth * 0.045 AS growth
FROM people;

-- Someone who moves to the department they are already in does not move.
UPDATE sample_plan SET dept2 = NULL WHERE dept2 = dept1;
-- The move happens between hire and leaving (or the reference day).
ALTER TABLE sample_plan ADD COLUMN move_date date;
UPDATE sample_plan
SET move_date = hire_date + 1 + floor(r_move_at * (coalesce(leave_date, date '2025-01-01') - hire_date - 2))::int
WHERE dept2 IS NOT NULL AND coalesce(leave_date, date '2025-01-01') - hire_date > 60;
UPDATE sample_plan SET dept2 = NULL WHERE move_date IS NULL;

INSERT INTO hr.employees (emp_no, first_name, last_name, email, birth_date, hire_date, gender, leave_date)
SELECT emp_no, first_name, last_name,
       lower(translate(first_name || '.' || last_name, 'üÜ', 'uU')) || '.' || emp_no || '@example.com',
       birth_date, hire_date, gender, leave_date
FROM sample_plan
ORDER BY emp_no;
SELECT setval(pg_get_serial_sequence('hr.employees', 'emp_no'), (SELECT max(emp_no) FROM hr.employees));

INSERT INTO hr.dept_emp (emp_no, dept_no, from_date, to_date)
SELECT emp_no, dept1, hire_date, coalesce(move_date, leave_date) FROM sample_plan
UNION ALL
SELECT emp_no, dept2, move_date, leave_date FROM sample_plan WHERE dept2 IS NOT NULL;

-- Managers: the longest-serving current member of each department leads it and
-- reports to the longest-serving employee overall, who reports to no one.
WITH current_dept AS (
    SELECT de.emp_no, de.dept_no, e.hire_date
    FROM hr.dept_emp de JOIN hr.employees e USING (emp_no)
    WHERE de.to_date IS NULL AND e.leave_date IS NULL
),
heads AS (
    SELECT DISTINCT ON (dept_no) dept_no, emp_no FROM current_dept ORDER BY dept_no, hire_date, emp_no
),
ceo AS (
    SELECT emp_no FROM current_dept ORDER BY hire_date, emp_no LIMIT 1
)
UPDATE hr.employees e
SET manager_no = CASE WHEN h_self.emp_no IS NOT NULL THEN (SELECT emp_no FROM ceo) ELSE h.emp_no END
FROM current_dept c
JOIN heads h ON h.dept_no = c.dept_no
LEFT JOIN heads h_self ON h_self.emp_no = c.emp_no
WHERE e.emp_no = c.emp_no
  AND e.emp_no <> (SELECT emp_no FROM ceo);

-- Titles: a promotion about every four years along the department's ladder;
-- department heads end as Manager.
INSERT INTO hr.titles (emp_no, title, from_date, to_date)
SELECT p.emp_no,
       ladder[least(k + 1, array_length(ladder, 1))],
       (p.hire_date + make_interval(years => 4 * k))::date,
       CASE WHEN p.hire_date + make_interval(years => 4 * (k + 1)) < coalesce(p.leave_date, date '2025-01-01')
            THEN (p.hire_date + make_interval(years => 4 * (k + 1)))::date
            ELSE p.leave_date END
FROM sample_plan p
CROSS JOIN LATERAL (
    SELECT CASE WHEN p.dept1 IN ('d004', 'd005', 'd008')
                THEN ARRAY['Junior Engineer', 'Engineer', 'Senior Engineer', 'Staff Engineer', 'Principal Engineer']
                ELSE ARRAY['Assistant', 'Associate', 'Senior Associate', 'Lead', 'Principal'] END AS ladder
) l
CROSS JOIN LATERAL generate_series(0, 10) AS k
WHERE p.hire_date + make_interval(years => 4 * k) < coalesce(p.leave_date, date '2025-01-01');

UPDATE hr.titles t SET to_date = date '2024-01-01'
WHERE t.to_date IS NULL AND t.from_date < date '2024-01-01'
  AND t.emp_no IN (SELECT manager_no FROM hr.employees WHERE manager_no IS NOT NULL);
INSERT INTO hr.titles (emp_no, title, from_date)
SELECT DISTINCT e.manager_no, 'Manager', date '2024-01-01'
FROM hr.employees e
WHERE e.manager_no IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM hr.titles t WHERE t.emp_no = e.manager_no AND t.to_date IS NULL);

-- Salaries: one row per year of service with a personal yearly raise.
INSERT INTO hr.salaries (emp_no, amount, from_date, to_date)
SELECT p.emp_no,
       round(p.base * power(p.growth, k)::numeric, 2),
       (p.hire_date + make_interval(years => k))::date,
       CASE WHEN p.hire_date + make_interval(years => k + 1) < coalesce(p.leave_date, date '2025-01-01')
            THEN (p.hire_date + make_interval(years => k + 1))::date
            ELSE p.leave_date END
FROM sample_plan p
CROSS JOIN LATERAL generate_series(0, 40) AS k
WHERE p.hire_date + make_interval(years => k) < coalesce(p.leave_date, date '2025-01-01');

ANALYZE hr.departments, hr.employees, hr.dept_emp, hr.titles, hr.salaries;

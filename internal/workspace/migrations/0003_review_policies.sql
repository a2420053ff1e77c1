-- 0003: the SQL review policy each environment carries.
-- The policy is stored as the review engine's YAML (rule -> level + payload), the
-- same text `tidemark review --policy FILE` reads, so export/import is a copy.
-- An environment without a row uses its default template (advanced for
-- protected, production-like environments, basic for the others).

CREATE TABLE review_policies (
    environment_id TEXT PRIMARY KEY REFERENCES environments (id) ON DELETE CASCADE,
    template       TEXT NOT NULL,                -- the template it started from (basic, advanced)
    policy         TEXT NOT NULL,                -- YAML
    updated_at     TEXT NOT NULL
);

-- Market-day rota (逢场天轮值). On market days the village cadres (村社干部)
-- and assistants (代办员) of each village come to the centre in turn; a
-- staff member's village says whose turn they share ('' = none).
ALTER TABLE staff ADD COLUMN village TEXT NOT NULL DEFAULT '';

-- One village's place at the centre on one market day; staff_id NULL is a
-- vacant place and reason says why nobody could take it. Drafting a period
-- again replaces its rows.
CREATE TABLE market_duty (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    date        TEXT NOT NULL,
    village     TEXT NOT NULL,
    staff_id    TEXT REFERENCES staff(id),
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX market_duty_date ON market_duty (date, village);
CREATE INDEX market_duty_staff ON market_duty (staff_id, date);

-- A case history line keeps the parameters of its sentence (item, ticket,
-- deadline, missing materials…) as JSON, so the UI words the line in the
-- reader's language from the action code; detail stays the Chinese sentence
-- older lines only have.
ALTER TABLE case_event ADD COLUMN params TEXT NOT NULL DEFAULT '{}';

-- Why a booking is on the duty officer's call list: '' is the reminder the
-- day before, 'closed_day' a booking on a day the centre closed, whose
-- citizen must be told to come another day.
ALTER TABLE booking_call ADD COLUMN reason TEXT NOT NULL DEFAULT '';

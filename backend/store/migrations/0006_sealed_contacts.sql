-- Citizens' names and phones in bookings, ratings and tickets are sealed by
-- backend/secret like those of cases: the existing columns hold "v1:"
-- ciphertext once the service that owns the table has sealed them at start
-- (the key lives outside this file, so SQL cannot). Beside each sealed phone
-- a keyed hash (phone_index) finds a citizen's rows without the number.
ALTER TABLE booking ADD COLUMN phone_index TEXT NOT NULL DEFAULT '';
ALTER TABLE rating ADD COLUMN phone_index TEXT NOT NULL DEFAULT '';
ALTER TABLE ticket ADD COLUMN phone_index TEXT NOT NULL DEFAULT '';

-- One place per citizen per slot, now over the keyed hash: the sealed phone
-- differs on every write.
DROP INDEX booking_phone_slot;
CREATE UNIQUE INDEX booking_phone_index_slot ON booking(phone_index, slot_start) WHERE status <> 'cancelled' AND phone_index <> '';
CREATE INDEX booking_phone_index_date ON booking(phone_index, date, status) WHERE phone_index <> '';

-- A booking made from an unserved ticket names the ticket, so a ticket becomes
-- one appointment, not two when a clerk reopens the list or two clerks act at
-- once; after a cancellation the ticket may be booked again.
ALTER TABLE booking ADD COLUMN from_ticket_id TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX booking_from_ticket ON booking(from_ticket_id) WHERE from_ticket_id <> '' AND status <> 'cancelled';

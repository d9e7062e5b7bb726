package booking

// FromTicketRequest is req as FromTicket passes it to Create, to test what
// the database refuses when two clerks book one ticket at the same moment.
func FromTicketRequest(req Request, ticketID string) Request {
	req.fromTicket = ticketID
	return req
}

package roster

import "budayang/backend/apperr"

// Edit gives the duty with id aid to staffID ("" leaves the place vacant),
// checking the same hard rules the generator keeps against every other duty
// in duties and held. It returns the changed duty, or a *Violation naming
// the rule the change would break; duties is not changed.
func Edit(r Rules, people []Person, shifts []Shift, duties, held []Duty, aid, staffID string) (Duty, error) {
	var target *Duty
	for i := range duties {
		if duties[i].ID == aid {
			target = &duties[i]
		}
	}
	if target == nil {
		return Duty{}, apperr.Errorf(apperr.NotFound, "排班中没有编号为%s的值班。", aid)
	}
	d := *target
	d.StaffID = staffID
	if staffID == "" {
		return d, nil
	}
	var shift Shift
	for _, s := range shifts {
		if s.ID == d.ShiftID {
			shift = s
		}
	}
	others := make([]Duty, 0, len(duties)+len(held))
	for _, x := range duties {
		if x.ID != aid {
			others = append(others, x)
		}
	}
	others = append(others, held...)
	if v := NewChecker(r, people, others).Check(d, shift); v != nil {
		return Duty{}, v
	}
	return d, nil
}

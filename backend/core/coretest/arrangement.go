package coretest

import "budayang/backend/calendar"

// Arrangement2027 is a TEST FIXTURE shaped like the State Council's notice
// for 2027, not the notice itself (published in November–December 2026):
// New Year's Day 1–3 January and Spring Festival 6–12 February as holidays,
// no adjusted workdays. Tests rely only on 2027-01-01 being a holiday.
func Arrangement2027() calendar.Arrangement {
	return calendar.Arrangement{Year: 2027, Notice: "测试用2027年节假日安排（非国务院正式通知）",
		Holidays: []calendar.Period{
			{Name: "元旦", From: "2027-01-01", To: "2027-01-03"},
			{Name: "春节", From: "2027-02-06", To: "2027-02-12"},
		}}
}

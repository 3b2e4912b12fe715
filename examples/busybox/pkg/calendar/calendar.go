// Package calendar has proleptic Gregorian calendar arithmetic.
package calendar

// IsLeap reports whether year is a leap year.
func IsLeap(year int) bool {
	return year%4 == 0 && (year%100 != 0 || year%400 == 0)
}

// DaysIn returns the number of days in month (1-12) of year.
func DaysIn(year, month int) int {
	switch month {
	case 2:
		if IsLeap(year) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// DayOfYear returns the 1-based ordinal day of the date.
func DayOfYear(year, month, day int) int {
	n := day
	for m := 1; m < month; m++ {
		n += DaysIn(year, m)
	}
	return n
}

// Weekday returns 0 (Sunday) to 6 (Saturday), by Sakamoto's method.
func Weekday(year, month, day int) int {
	t := [...]int{0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4}
	if month < 3 {
		year--
	}
	return (year + year/4 - year/100 + year/400 + t[month-1] + day) % 7
}

// ISOWeek returns the ISO 8601 year and week number of the date.
func ISOWeek(year, month, day int) (int, int) {
	wd := (Weekday(year, month, day) + 6) % 7 // Monday = 0
	doy := DayOfYear(year, month, day)
	week := (doy - wd + 9) / 7
	if week < 1 {
		year--
		return year, weeksIn(year)
	}
	if week > weeksIn(year) {
		return year + 1, 1
	}
	return year, week
}

func weeksIn(year int) int {
	jan1 := Weekday(year, 1, 1)
	if jan1 == 4 || (jan1 == 3 && IsLeap(year)) {
		return 53
	}
	return 52
}

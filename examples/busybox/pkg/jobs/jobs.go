// Package jobs runs background jobs.
package jobs

// Job is a named piece of work.
type Job struct {
	Name string
	Run  func() error
}

// RunAll runs jobs in order, each once more when its write conflicted with
// another, and returns the names of those that failed.
func RunAll(jobs []Job) []string {
	var failed []string
	for _, j := range jobs {
		err := j.Run()
		if err != nil && conflicted(err) {
			err = j.Run()
		}
		if err != nil {
			failed = append(failed, j.Name)
		}
	}
	return failed
}

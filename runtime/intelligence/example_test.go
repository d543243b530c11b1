package intelligence_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// StatisticsWorker is a worker as resilience-lint -fix leaves it: the body
// of its run method runs inside intelligence.Track.
type StatisticsWorker struct {
	tracker *intelligence.Tracker // nil means intelligence.Default()
}

var errEmpty = errors.New("no values")

// Execute returns the mean of values.
func (w *StatisticsWorker) Execute(ctx context.Context, values []float64) (float64, error) {
	return intelligence.Track(ctx, w.tracker, intelligence.Op{Agent: "aggregator", Worker: "StatisticsWorker", Operation: "Execute"}, func(ctx context.Context) (float64, error) {
		if len(values) == 0 {
			return 0, errEmpty
		}
		var sum float64
		for _, v := range values {
			sum += v
		}
		return sum / float64(len(values)), nil
	})
}

// A worker using Track: every run is recorded as a success or an error,
// and errors are grouped into patterns.
func ExampleTrack() {
	tr := intelligence.MustNew()
	w := &StatisticsWorker{tracker: tr}
	ctx := context.Background()

	mean, err := w.Execute(ctx, []float64{1, 2, 3})
	fmt.Println(mean, err)
	for range 3 {
		_, err = w.Execute(ctx, nil)
	}
	fmt.Println(err)

	h := tr.WorkerHealth("aggregator", "StatisticsWorker")
	fmt.Printf("runs %d, errors %d, consecutive failures %d, status %s\n", h.Runs, h.Errors, h.ConsecutiveFailures, h.Status)
	p := tr.Patterns()[0]
	fmt.Printf("pattern %q: %d times\n", p.Message, p.Count)
	// Output:
	// 2 <nil>
	// no values
	// runs 4, errors 3, consecutive failures 3, status unknown
	// pattern "no values": 3 times
}

// A panic goes through Track untouched: a recover above it gets the
// original value, and sees the panic start in the function that panicked,
// not in Track. The tracker records a failed run naming that function.
func ExampleTrack_panic() {
	tr := intelligence.MustNew()
	op := intelligence.Op{Agent: "mailer", Worker: "EmailHandler", Operation: "ProcessTask"}
	func() {
		defer func() {
			_, file, _, _ := runtime.Caller(2) // above the runtime's panic: the frame that panicked
			fmt.Printf("recovered %q, panicked in %s\n", recover(), filepath.Base(file))
		}()
		_ = intelligence.TrackErr(context.Background(), tr, op, func(context.Context) error {
			panic("email task without a recipient")
		})
	}()
	h := tr.WorkerHealth("mailer", "EmailHandler")
	fmt.Printf("runs %d, errors %d\n", h.Runs, h.Errors)
	fmt.Println(tr.Patterns()[0].Message)
	// Output:
	// recovered "email task without a recipient", panicked in example_test.go
	// runs 1, errors 1
	// panic in intelligence_test.ExampleTrack_panic.func<num>.<num> at example_test.go:<num>
}

// The recovery bridge: an observer on the retry policy reports each retry
// and how each call ended. Inside Track, the run is counted once and the
// retries are attributed to Track's Op.
func ExampleRetryObserver() {
	tr := intelligence.MustNew()
	policy := recovery.MustNewPolicy(
		recovery.WithMaxAttempts(3),
		recovery.WithInitialDelay(time.Millisecond),
		recovery.WithObserver(intelligence.RetryObserver(tr, intelligence.Op{})), // Op from Track
	)
	op := intelligence.Op{Agent: "loader", Worker: "CSVWorker", Operation: "Execute"}

	for call := range 4 {
		failures := call % 3 // 0, 1, 2, 0 transient failures before success
		_ = intelligence.TrackErr(context.Background(), tr, op, func(ctx context.Context) error {
			return recovery.Do(ctx, policy, func(context.Context) error {
				if failures > 0 {
					failures--
					return recovery.Transient(fmt.Errorf("read 10.0.0.%d:9000: connection reset", failures))
				}
				return nil
			})
		})
	}

	h := tr.WorkerHealth("loader", "CSVWorker")
	fmt.Printf("runs %d, errors %d\n", h.Runs, h.Errors)
	fmt.Printf("first try %d, recovered %d, retries %d\n", h.Retries.FirstTry, h.Retries.Recovered, h.Retries.Retries)
	p := tr.Patterns()[0]
	fmt.Printf("%q: %d failed runs, %d retried attempts\n", p.Message, p.Count, p.Retried)
	// Output:
	// runs 4, errors 0
	// first try 2, recovered 2, retries 3
	// "read <ip>: connection reset": 0 failed runs, 3 retried attempts
}

func ExampleNormalize() {
	fmt.Println(intelligence.Normalize(`open /data/2024/q3.csv: user "bob" (id 4211) timed out after 1.5s at 10.0.0.7:5432`))
	// Output: open <path>: user <str> (id <num>) timed out after <duration> at <ip>
}

// RecordFix: the tracker measures whether the fix worked.
func ExampleTracker_RecordFix() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := intelligence.MustNew(intelligence.WithClock(func() time.Time { return now }))
	op := intelligence.Op{Agent: "loader", Worker: "CSVWorker", Operation: "Execute"}
	err := errors.New("column age: want int")
	for range 24 { // every 10 minutes for 4 hours: 9 loads and an error
		for range 9 {
			tr.TrackSuccess(op, 0)
		}
		tr.TrackError(op, err, 0)
		now = now.Add(10 * time.Minute)
	}
	if err := tr.RecordFix(intelligence.Fingerprint(err), "cast columns when loading"); err != nil {
		fmt.Println(err)
	}
	for range 18 { // 3 hours of the same traffic, no recurrence
		for range 10 {
			tr.TrackSuccess(op, 0)
		}
		now = now.Add(10 * time.Minute)
	}
	f := tr.Fixes()[0]
	fmt.Printf("%s: %s (error ratio %.2f before, %.2f after; %.0f recurrences expected)\n",
		f.Description, f.Verdict, f.BeforeErrorRatio, f.AfterErrorRatio, f.ExpectedAfter)
	// Output: cast columns when loading: effective (error ratio 0.10 before, 0.00 after; 18 recurrences expected)
}

// Serving the snapshot for operators and dashboards.
func ExampleTracker_Handler() {
	tr := intelligence.MustNew()
	tr.TrackSuccess(intelligence.Op{Agent: "reporter", Worker: "PDFWorker", Operation: "Execute"}, 20*time.Millisecond)

	srv := httptest.NewServer(tr.Handler()) // or mux.Handle("/debug/intelligence", tr.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var snap intelligence.Snapshot
	if err := json.NewDecoder(resp.Body).Decode(&snap); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Header.Get("Content-Type"), snap.SchemaVersion, snap.Workers[0].Worker, snap.Workers[0].Runs)
	// Output: application/json 1 PDFWorker 1
}

// Save and Restore carry a tracker's history across a restart, so that a
// fix shipped by the redeploy is judged against the error ratio before it.
func ExampleTracker_Save() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := intelligence.WithClock(func() time.Time { return now })
	op := intelligence.Op{Agent: "loader", Worker: "CSVWorker", Operation: "Execute"}
	err := errors.New("column age: want int")

	old := intelligence.MustNew(clock)
	for range 100 {
		old.TrackSuccess(op, 0)
		old.TrackError(op, err, 0)
	}
	var state bytes.Buffer
	if err := old.Save(&state); err != nil { // at shutdown
		fmt.Println(err)
	}

	restarted := intelligence.MustNew(clock)
	if err := restarted.Restore(&state); err != nil { // at start-up
		fmt.Println(err)
	}
	if err := restarted.RecordFix(intelligence.Fingerprint(err), "cast columns when loading"); err != nil {
		fmt.Println(err)
	}
	for range 100 {
		restarted.TrackSuccess(op, 0)
		now = now.Add(time.Minute)
	}
	f := restarted.Fixes()[0]
	fmt.Printf("%s: %s, error ratio %.2f before over %d runs\n", f.Description, f.Verdict, f.BeforeErrorRatio, f.BeforeRuns)
	// Output: cast columns when loading: effective, error ratio 0.50 before over 200 runs
}

// Secrets in messages and attributes are scrubbed before they are kept.
func ExampleWithScrubKeys() {
	tr := intelligence.MustNew(intelligence.WithScrubKeys("ssn"))
	op := intelligence.Op{Agent: "billing", Worker: "ChargeWorker", Operation: "Execute"}
	tr.TrackError(op, errors.New("charge for bob@example.com with key sk_live_abcdefghijklmnop failed: ssn=123-45-6789"), 0)
	fmt.Println(tr.Patterns()[0].Sample)
	// Output: charge for <email> with key [REDACTED] failed: ssn=[REDACTED]
}

// jobSnoozeError stands for a job queue's "run this job again later"
// (river's *JobSnoozeError), which this package cannot name.
type jobSnoozeError struct{ Duration time.Duration }

func (e *jobSnoozeError) Error() string { return "snooze " + e.Duration.String() }

// A worker that snoozes its job when the API it calls is rate limited: the
// program registers the snooze as control flow, so that snoozed runs do
// not count as failures of the worker. The error reaches the job queue
// unchanged.
func ExampleRegisterControlFlow() {
	intelligence.RegisterControlFlow(func(err error) bool {
		_, ok := errors.AsType[*jobSnoozeError](err)
		return ok
	})

	tr := intelligence.MustNew()
	op := intelligence.Op{Agent: "mailer", Worker: "SendWorker", Operation: "Work"}
	work := func(status int) error {
		return intelligence.TrackErr(context.Background(), tr, op, func(context.Context) error {
			switch status {
			case 429:
				return &jobSnoozeError{Duration: time.Minute}
			case 503:
				return errors.New("mail api: status 503")
			}
			return nil
		})
	}
	for _, status := range []int{200, 429, 429, 503} {
		fmt.Println(status, work(status))
	}
	h := tr.WorkerHealth("mailer", "SendWorker")
	fmt.Printf("runs %d, successes %d, errors %d\n", h.Runs, h.Successes, h.Errors)
	// Output:
	// 200 <nil>
	// 429 snooze 1m0s
	// 429 snooze 1m0s
	// 503 mail api: status 503
	// runs 2, successes 1, errors 1
}

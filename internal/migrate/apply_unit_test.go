package migrate

import (
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestRetryableCodes(t *testing.T) {
	for code, want := range map[string]bool{
		pgerrcode.LockNotAvailable: true, pgerrcode.DeadlockDetected: true, pgerrcode.SerializationFailure: true,
		pgerrcode.QueryCanceled: false, pgerrcode.UndefinedTable: false, pgerrcode.UniqueViolation: false,
		pgerrcode.AdminShutdown: false, pgerrcode.StatementCompletionUnknown: false,
	} {
		err := fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: code})
		if got := retryable(err); got != want {
			t.Errorf("retryable(%s) = %v, want %v", code, got, want)
		}
	}
	if retryable(fmt.Errorf("connection reset")) {
		t.Error("a network error is not a rolled-back unit to retry")
	}
}

func TestBackoffIsCappedExponentialWithJitter(t *testing.T) {
	o := ApplyOptions{RetryBackoff: 100 * time.Millisecond, RetryBackoffMax: time.Second}
	for attempt, base := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 30: time.Second} {
		for i := 0; i < 50; i++ {
			d := backoff(attempt, o)
			if d < base*3/4 || d > base*5/4 {
				t.Fatalf("backoff(%d) = %s, want within ±25%% of %s", attempt, d, base)
			}
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	var o ApplyOptions
	if err := o.Validate(); err != nil || o.LockTimeout != 10*time.Second || o.StatementTimeout != 30*time.Minute || o.MaxAttempts != 4 {
		t.Errorf("defaults: %+v %v", o, err)
	}
	for _, bad := range []ApplyOptions{{LockTimeout: -1}, {MaxAttempts: -1}, {RetryBackoff: time.Second, RetryBackoffMax: time.Millisecond}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	for _, bad := range []ResolveOptions{{Version: "1", As: "undo"}, {Version: "", As: ResolveRetry}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if err := (&Options{LockWait: -time.Second}).Validate(); err == nil {
		t.Error("negative lock wait accepted")
	}
}

package pgcluster

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The child half of TestStopOnExitAfterCrash: start a cluster with a watchdog,
// report it, and exit without any cleanup (as a panicking test binary would).
func TestMain(m *testing.M) {
	if dir := os.Getenv("TIDEMARK_PGCLUSTER_CRASH_CHILD"); dir != "" {
		if err := crashChild(dir); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func crashChild(dir string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin, err := FindBinDir(ctx)
	if err != nil {
		return err
	}
	c, err := New(bin, filepath.Join(dir, "data"), 0)
	if err != nil {
		return err
	}
	c.Settings = map[string]string{"fsync": "off"}
	if err := c.Init(ctx, InitOptions{}); err != nil {
		return err
	}
	if _, err := c.StopOnExit(dir); err != nil {
		return err
	}
	if err := c.Start(ctx); err != nil {
		return err
	}
	fmt.Printf("port=%d\n", c.Port)
	return nil
}

func TestStopOnExitAfterCrash(t *testing.T) {
	if _, err := FindBinDir(context.Background()); err != nil {
		if os.Getenv("TIDEMARK_TEST_REQUIRE_PG") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	parent, err := os.MkdirTemp("", "tidemark-pgcluster-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(parent) })
	if os.Geteuid() == 0 {
		_ = os.Chmod(parent, 0o755) // the server user must reach its data directory
	}
	dir := filepath.Join(parent, "cluster")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TIDEMARK_PGCLUSTER_CRASH_CHILD="+dir)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("child: %v\n%s", err, out)
	}
	port, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(string(out)), "port="))
	if err != nil {
		t.Fatalf("child output %q", out)
	}
	// The child is gone without stopping anything; the watchdog must stop the
	// server and remove the directory.
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, statErr := os.Stat(dir)
		conn, dialErr := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
		if dialErr == nil {
			conn.Close()
		}
		if os.IsNotExist(statErr) && dialErr != nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("60 s after the crash: directory exists=%v, server accepts connections=%v", statErr == nil, dialErr == nil)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// SPDX-License-Identifier: GPL-2.0-only
//
// Go: one goroutine per request (R of them), at most C in flight through a
// pool of C connections.
//
// The claim it speaks to: Go's N:M threading.  Many goroutines run on few
// kernel threads: the kernel sees about GOMAXPROCS threads running Go
// code plus a few of the runtime's own (sysmon, a thread parked for
// spare work), never one per goroutine; a goroutine waiting for the
// network parks in the runtime (its netpoller waits in epoll), not in
// the kernel, so its thread runs another goroutine meanwhile.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

const (
	magic   = 0x6b736565
	msgSize = 16
)

type options struct {
	requests, concurrency, ioMs, cpuUs, workers int
	server                                      string
	network, address                            string
}

const usage = `Usage: goroutines [OPTIONS]
Go: one goroutine per request, on the Go scheduler's few threads.

Serves R requests, at most C in flight: each sends a request to the
ioserver, waits D ms for the answer, then computes for W us.

  -r, --requests R      requests to serve (default 100)
  -c, --concurrency C   requests in flight at most (default 10)
  -d, --io-ms D         server delay per request in ms (default 20)
  -w, --cpu-us W        CPU work per request in us (default 500)
  -n, --workers N       not used by this model (default 4)
  -s, --server ADDR     ioserver: unix:/path or tcp:127.0.0.1:PORT
  -h, --help            show this help

Prints one summary line; exits 1 if any request failed, 2 on bad usage.
`

func usageError(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "go: "+format+"\n%s", append(a, usage)...)
	os.Exit(2)
}

func parseOptions() options {
	var o options
	fs := flag.NewFlagSet("goroutines", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // usageError says it once
	fs.Usage = func() {}
	nums := []struct {
		p           *int
		long, short string
		def, lo, hi int
	}{
		{&o.requests, "requests", "r", 100, 1, 10000000},
		{&o.concurrency, "concurrency", "c", 10, 1, 100000},
		{&o.ioMs, "io-ms", "d", 20, 0, 60000},
		{&o.cpuUs, "cpu-us", "w", 500, 0, 10000000},
		{&o.workers, "workers", "n", 4, 1, 1024},
	}
	for _, n := range nums {
		fs.IntVar(n.p, n.long, n.def, "")
		fs.IntVar(n.p, n.short, n.def, "")
	}
	fs.StringVar(&o.server, "server", "", "")
	fs.StringVar(&o.server, "s", "", "")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Print(usage)
			os.Exit(0)
		}
		usageError("%v", err)
	}
	if fs.NArg() > 0 {
		usageError("unexpected argument '%s'", fs.Arg(0))
	}
	for _, n := range nums {
		if *n.p < n.lo || *n.p > n.hi {
			usageError("invalid --%s '%d' (want %d..%d)", n.long, *n.p, n.lo, n.hi)
		}
	}
	if o.server == "" {
		usageError("--server ADDR is required")
	}
	unix, tcp := "unix:", "tcp:127.0.0.1:"
	if strings.HasPrefix(o.server, unix) && len(o.server) > len(unix) {
		o.network, o.address = "unix", o.server[len(unix):]
	} else if strings.HasPrefix(o.server, tcp) && validPort(o.server[len(tcp):]) {
		o.network, o.address = "tcp", o.server[len(tcp)-len("127.0.0.1:"):]
	} else {
		usageError("invalid --server '%s' (want unix:/path or tcp:127.0.0.1:PORT)", o.server)
	}
	return o
}

func validPort(s string) bool {
	p, err := strconv.Atoi(s)
	return err == nil && p > 0 && p < 65536
}

// call sends request id and waits for its reply; the goroutine parks meanwhile.
func call(c net.Conn, id uint64, delayMs int) error {
	var msg [msgSize]byte
	binary.LittleEndian.PutUint64(msg[0:], id) // host byte order: little-endian here
	binary.LittleEndian.PutUint32(msg[8:], uint32(delayMs))
	binary.LittleEndian.PutUint32(msg[12:], magic)
	if _, err := c.Write(msg[:]); err != nil {
		return err
	}
	if _, err := io.ReadFull(c, msg[:]); err != nil {
		return err
	}
	if binary.LittleEndian.Uint32(msg[12:]) != magic || binary.LittleEndian.Uint64(msg[0:]) != id ||
		binary.LittleEndian.Uint32(msg[8:]) != 0 {
		return fmt.Errorf("bad reply to request %d", id)
	}
	return nil
}

// threadCPU is the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID).
func threadCPU() time.Duration {
	var ts syscall.Timespec
	// raw: a call that never blocks need not tell the scheduler
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

var sink uint64

// cpuWork computes until this goroutine's CPU time advanced by us; the ns
// it took.  The goroutine may move to another thread meanwhile (pinning it
// with runtime.LockOSThread would make the runtime start more threads), and
// a thread's clock counts every goroutine it ran, so the time is summed
// over slices of about a microsecond, each read on one thread's clock.  A
// slice that took long (the goroutine was switched out: its thread may have
// run another, or it came back on another thread) or whose clock reads cannot
// be from one thread does not count: the work may run a little longer, never
// shorter.
func cpuWork(us int) time.Duration {
	var spent time.Duration
	x := atomic.LoadUint64(&sink)
	for spent < time.Duration(us)*time.Microsecond {
		c0, w0 := threadCPU(), time.Now()
		for i := 0; i < 1000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
		w, d := time.Since(w0), threadCPU()-c0
		// the two clocks tick apart: a few microseconds of slack
		if d >= 0 && d <= w+5*time.Microsecond && w < 50*time.Microsecond {
			spent += d
		}
	}
	atomic.StoreUint64(&sink, x)
	return spent
}

func percentile(v []float64, p float64) float64 {
	var ok []float64
	for _, x := range v {
		if !math.IsNaN(x) {
			ok = append(ok, x)
		}
	}
	if len(ok) == 0 {
		return math.NaN()
	}
	sort.Float64s(ok)
	r := int(math.Ceil(p / 100 * float64(len(ok))))
	if r < 1 {
		r = 1
	}
	if r > len(ok) {
		r = len(ok)
	}
	return ok[r-1]
}

// ms formats x as the C demos' printf does, "nan" included.
func ms(x float64, prec int) string {
	if math.IsNaN(x) {
		return "nan"
	}
	return strconv.FormatFloat(x, 'f', prec, 64)
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	o := parseOptions()
	lat := make([]float64, o.requests)
	wait := make([]float64, o.requests)
	for i := range lat {
		lat[i], wait[i] = math.NaN(), math.NaN()
	}
	var workNs atomic.Int64
	var firstErr error
	var errOnce sync.Once

	setupCPU := processCPU()
	t0 := time.Now()
	conns := make(chan net.Conn, o.concurrency) // a free connection is a free slot
	for i := 0; i < o.concurrency && i < o.requests; i++ {
		conns <- nil // connected on first use
	}
	var wg sync.WaitGroup
	for id := 0; id < o.requests; id++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			c := <-conns
			defer func() { conns <- c }()
			start := time.Now()
			var err error
			if c == nil {
				c, err = net.Dial(o.network, o.address)
			}
			if err == nil {
				err = call(c, uint64(id), o.ioMs)
			}
			if err != nil {
				errOnce.Do(func() { firstErr = err })
				if c != nil {
					c.Close()
				}
				c = nil
				return
			}
			wait[id] = float64(time.Since(start)) / 1e6
			workNs.Add(int64(cpuWork(o.cpuUs)))
			lat[id] = float64(time.Since(start)) / 1e6
		}(id)
	}
	wg.Wait()
	wall := time.Since(t0)
	if firstErr != nil {
		fmt.Fprintf(os.Stderr, "go: %v (server %s)\n", firstErr, o.server)
	}
	ok := 0
	for _, x := range lat {
		if !math.IsNaN(x) {
			ok++
		}
	}
	// workers: the threads that run Go code at once (GOMAXPROCS)
	fmt.Printf("model=go requests=%d errors=%d wall_ms=%.1f p50_ms=%s p99_ms=%s "+
		"concurrency=%d workers=%d io_ms=%d cpu_us=%d wait_p50_ms=%s wait_p99_ms=%s "+
		"setup_cpu_ms=%.3f work_cpu_ms=%.3f cpu_ms=%.3f\n",
		ok, o.requests-ok, float64(wall)/1e6, ms(percentile(lat, 50), 2),
		ms(percentile(lat, 99), 2), o.concurrency, runtime.GOMAXPROCS(0), o.ioMs, o.cpuUs,
		ms(percentile(wait, 50), 3), ms(percentile(wait, 99), 3), float64(setupCPU)/1e6,
		float64(workNs.Load())/1e6, float64(processCPU())/1e6)
	if ok != o.requests {
		os.Exit(1)
	}
}

package redis_test

// A probe of the real-world sweep (scripts/real-world.sh): a fake Redis
// server speaking RESP2 counts the commands one client call sends for each
// way the server answers, before and after resilience-lint -fix. go-redis
// retries itself (MaxRetries 2 here, no backoff): network errors (a
// connection closed before the reply, a refused dial) and LOADING, READONLY,
// TRYAGAIN replies; a plain error reply (ERR, WRONGTYPE) is tried once. A
// wrapper retry around a client method would run go-redis's loop again: an
// INCR sent 9 times instead of 3 counts 9, a dial made 9 times instead of
// 3 on a refused connection, an error reply sent more than once is a retry
// that cannot succeed, a transaction's callback run more than once repeats
// the caller's effects. "reset" closes the connection with an RST, which
// the runtime's classifier calls transient (a plain close, io.EOF, it does
// not). It asserts nothing: the sweep
// compares the PROBE lines of the two runs. (The module's own tests need a
// Redis server; this probe does not.)

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// rlServer is a fake Redis server: it answers each command by mode and
// counts the commands of the probe (not the connection handshake) by name.
type rlServer struct {
	ln    net.Listener
	mode  string
	mu    sync.Mutex
	count map[string]int
}

func rlStart(t *testing.T, mode string) *rlServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rlServer{ln: ln, mode: mode, count: map[string]int{}}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

// rlReadCommand reads one RESP array of bulk strings.
func rlReadCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(line, "*") {
		return nil, errors.New("not an array")
	}
	n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
	args := make([]string, 0, n)
	for i := 0; i < n; i++ {
		if _, err := r.ReadString('\n'); err != nil { // $len
			return nil, err
		}
		a, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		args = append(args, strings.TrimSuffix(a, "\r\n"))
	}
	return args, nil
}

func (s *rlServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		args, err := rlReadCommand(r)
		if err != nil || len(args) == 0 {
			return
		}
		name := strings.ToUpper(args[0])
		var reply string
		switch name {
		case "HELLO":
			reply = "-ERR unknown command 'HELLO'\r\n"
		case "CLIENT", "SELECT", "AUTH":
			reply = "+OK\r\n"
		case "PING":
			reply = "+PONG\r\n"
		default:
			s.add(name)
			switch s.mode {
			case "ok":
				switch name {
				case "GET":
					reply = "$1\r\n1\r\n"
				case "INCR":
					reply = ":1\r\n"
				case "MULTI", "WATCH", "UNWATCH", "SET":
					reply = "+OK\r\n"
				case "EXEC":
					reply = "*1\r\n+OK\r\n"
				default:
					reply = "+OK\r\n"
				}
				if name == "SET" {
					reply = "+QUEUED\r\n"
				}
			case "err":
				reply = "-ERR probe\r\n"
			case "wrongtype":
				reply = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
			case "loading":
				reply = "-LOADING Redis is loading the dataset in memory\r\n"
			case "close":
				return // the connection drops before the reply
			case "reset":
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // the close resets the connection
				}
				return
			}
		}
		if _, err := c.Write([]byte(reply)); err != nil {
			return
		}
	}
}

func (s *rlServer) add(name string) {
	s.mu.Lock()
	s.count[name]++
	s.mu.Unlock()
}

func (s *rlServer) counts() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var parts []string
	for _, k := range []string{"GET", "INCR", "WATCH", "MULTI", "SET", "EXEC"} {
		if s.count[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, s.count[k]))
		}
	}
	return strings.Join(parts, ",")
}

func TestRLProbeCommandsPerReply(t *testing.T) {
	for _, mode := range []string{"ok", "err", "wrongtype", "loading", "close", "reset", "refused"} {
		for _, call := range []string{"Get", "Incr", "Pipelined", "Watch"} {
			s := rlStart(t, mode)
			addr := s.ln.Addr().String()
			if mode == "refused" {
				s.ln.Close()
			}
			var dials atomic.Int64
			c := redis.NewClient(&redis.Options{
				Addr: addr,
				Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
					dials.Add(1)
					var d net.Dialer
					return d.DialContext(ctx, network, addr)
				},
				Protocol:        2,
				DisableIdentity: true,
				MaxRetries:      2,
				MinRetryBackoff: -1,
				MaxRetryBackoff: -1,
				DialTimeout:     time.Second,
				ReadTimeout:     time.Second,
				PoolSize:        2,
			})
			ctx := context.Background()
			callbacks := 0
			var err error
			switch call {
			case "Get":
				err = c.Get(ctx, "k").Err()
			case "Incr":
				err = c.Incr(ctx, "k").Err()
			case "Pipelined":
				_, err = c.Pipelined(ctx, func(p redis.Pipeliner) error {
					p.Incr(ctx, "a")
					p.Incr(ctx, "b")
					return nil
				})
			case "Watch":
				err = c.Watch(ctx, func(tx *redis.Tx) error {
					callbacks++
					_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
						p.Set(ctx, "k", "v", 0)
						return nil
					})
					return err
				}, "k")
			}
			_ = c.Close()
			if mode != "refused" {
				s.ln.Close()
			}
			t.Logf("PROBE goredis %s reply=%s commands=%s dials=%d callbacks=%d err=%v", call, mode, s.counts(), dials.Load(), callbacks, err != nil)
		}
	}
}

// TestRLProbeRingForEachShard counts what Ring.ForEachShard sends when the
// caller's fn sends an INCR through each shard's client and shard "b"
// answers by mode while shard "a" answers OK: go-redis retries b's INCR
// itself (3 sends on a reset); a wrapper retry around ForEachShard would
// run fn again on both shards, so a's INCR, which succeeded, is sent again
// (a=3 instead of 1) and b's 9 times instead of 3. callbacks counts the
// runs of fn.
func TestRLProbeRingForEachShard(t *testing.T) {
	for _, mode := range []string{"ok", "err", "loading", "close", "reset", "refused"} {
		a, b := rlStart(t, "ok"), rlStart(t, mode)
		addrB := b.ln.Addr().String()
		if mode == "refused" {
			b.ln.Close()
		}
		var dials atomic.Int64
		ring := redis.NewRing(&redis.RingOptions{
			Addrs: map[string]string{"a": a.ln.Addr().String(), "b": addrB},
			Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
				dials.Add(1)
				var d net.Dialer
				return d.DialContext(ctx, network, addr)
			},
			HeartbeatFrequency: time.Hour,
			Protocol:           2,
			DisableIdentity:    true,
			MaxRetries:         2,
			MinRetryBackoff:    -1,
			MaxRetryBackoff:    -1,
			DialTimeout:        time.Second,
			ReadTimeout:        time.Second,
			PoolSize:           2,
		})
		ctx := context.Background()
		var callbacks atomic.Int64
		err := ring.ForEachShard(ctx, func(ctx context.Context, c *redis.Client) error {
			callbacks.Add(1)
			return c.Incr(ctx, "k").Err()
		})
		_ = ring.Close()
		a.ln.Close()
		if mode != "refused" {
			b.ln.Close()
		}
		t.Logf("PROBE goredis ForEachShard reply=%s a:%s b:%s dials=%d callbacks=%d err=%v", mode, a.counts(), b.counts(), dials.Load(), callbacks.Load(), err != nil)
	}
}

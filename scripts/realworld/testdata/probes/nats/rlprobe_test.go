package nats_test

// A probe of the real-world sweep: counts the JetStream API requests one
// key-value call makes for each kind of failure, before and after
// resilience-lint -fix. -fix wraps jetstream's kvs.Get, GetRevision and
// Status (one API request each, no retry of their own); nats.go's errors
// are sentinels and API errors with application codes, which the runtime
// does not take for transient, so the counts must not change. A fake
// server (the NATS text protocol: INFO, CONNECT, PING/PONG, SUB, PUB,
// HPUB) answers STREAM.INFO with a key-value bucket's stream and the
// other requests per mode: "ok", "api-503" (JetStream temporarily
// unavailable), "api-404" (no message), "no-responders" (a 503 status
// message, nats.ErrNoResponders) and "closed" (the connection is closed).
// It asserts nothing: the sweep compares the PROBE lines of the two runs.

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const probeStreamInfo = `{"type":"io.nats.jetstream.api.v1.stream_info_response","config":{"name":"KV_b","subjects":["$KV.b.>"],` +
	`"max_msgs_per_subject":1,"allow_direct":false,"retention":"limits","storage":"file","discard":"new","num_replicas":1},` +
	`"created":"2025-01-01T00:00:00Z","state":{"messages":1,"bytes":1,"first_seq":1,"last_seq":1,"consumer_count":0}}`

const probeMsg = `{"type":"io.nats.jetstream.api.v1.stream_msg_get_response","message":{"subject":"$KV.b.k","seq":1,"data":"dg==","time":"2025-01-01T00:00:00Z"}}`

type probeServer struct {
	ln    net.Listener
	mode  string
	armed atomic.Bool // the bucket is looked up: apply the mode
	info  atomic.Int64
	get   atomic.Int64
	conns atomic.Int64
	wg    sync.WaitGroup
}

func newProbeServer(t *testing.T, mode string) *probeServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &probeServer{ln: ln, mode: mode}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			s.wg.Add(1)
			go func() { defer s.wg.Done(); s.serve(c) }()
		}
	}()
	return s
}

func (s *probeServer) close() {
	s.ln.Close()
}

func (s *probeServer) serve(c net.Conn) {
	defer c.Close()
	var mu sync.Mutex
	write := func(str string) {
		mu.Lock()
		defer mu.Unlock()
		_, _ = c.Write([]byte(str))
	}
	write(`INFO {"server_id":"probe","version":"2.11.0","proto":1,"headers":true,"max_payload":1048576,"jetstream":true}` + "\r\n")
	r := bufio.NewReader(c)
	subs := map[string]string{} // sid -> subject
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		f := strings.Fields(strings.TrimSpace(line))
		if len(f) == 0 {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "PING":
			write("PONG\r\n")
		case "SUB":
			subs[f[len(f)-1]] = f[1]
		case "PUB", "HPUB":
			size, _ := strconv.Atoi(f[len(f)-1])
			buf := make([]byte, size+2)
			if _, err := readFull(r, buf); err != nil {
				return
			}
			reply := ""
			if (f[0] == "PUB" && len(f) == 4) || (f[0] == "HPUB" && len(f) == 5) {
				reply = f[2]
			}
			subj := f[1]
			var body string
			noResp := false
			switch {
			case strings.HasPrefix(subj, "$JS.API.STREAM.INFO."):
				s.info.Add(1)
				body = probeStreamInfo
			case strings.HasPrefix(subj, "$JS.API.STREAM.MSG.GET."):
				s.get.Add(1)
				body = probeMsg
			default:
				continue
			}
			if s.armed.Load() {
				switch s.mode {
				case "api-503":
					body = `{"error":{"code":503,"err_code":10008,"description":"JetStream system temporarily unavailable"}}`
				case "api-404":
					body = `{"error":{"code":404,"err_code":10037,"description":"no message found"}}`
				case "no-responders":
					noResp = true
				case "closed":
					return
				}
			}
			sid := ""
			for id, pat := range subs {
				if pat == reply || strings.HasSuffix(pat, ".*") && strings.HasPrefix(reply, strings.TrimSuffix(pat, "*")) {
					sid = id
				}
			}
			if sid == "" {
				continue
			}
			if noResp {
				hdr := "NATS/1.0 503\r\n\r\n"
				write(fmt.Sprintf("HMSG %s %s %d %d\r\n%s\r\n", reply, sid, len(hdr), len(hdr), hdr))
			} else {
				write(fmt.Sprintf("MSG %s %s %d\r\n%s\r\n", reply, sid, len(body), body))
			}
		}
	}
}

func readFull(r *bufio.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func TestRLProbeKeyValueRequests(t *testing.T) {
	for _, mode := range []string{"ok", "api-503", "api-404", "no-responders", "closed"} {
		for _, call := range []string{"kv.Get", "kv.GetRevision", "kv.Status"} {
			srv := newProbeServer(t, mode)
			nc, err := nats.Connect("nats://"+srv.ln.Addr().String(), nats.NoReconnect(), nats.Timeout(2*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			js, err := jetstream.New(nc)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			kv, err := js.KeyValue(ctx, "b")
			if err != nil {
				t.Fatalf("%s: KeyValue: %v", mode, err)
			}
			srv.armed.Store(true)
			switch call {
			case "kv.Get":
				_, err = kv.Get(ctx, "k")
			case "kv.GetRevision":
				_, err = kv.GetRevision(ctx, "k", 1)
			case "kv.Status":
				_, err = kv.Status(ctx)
			}
			cancel()
			nc.Close()
			srv.close()
			t.Logf("PROBE nats %s mode=%s stream-info=%d msg-get=%d conns=%d err=%v", call, mode, srv.info.Load()-1, srv.get.Load(), srv.conns.Load(), err != nil)
		}
	}
}

package configs

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/scheme"
)

// fault is what the fake API server does to the next request of a kind:
// answer a status (with a Retry-After header when retryAfter is set),
// reset the connection before acting ("reset"), or act and then reset it
// (the answer lost: "lost").
type fault struct {
	kind       string // "GET", "LIST", "LIST2" (a page after the first), "POST", "PUT", "DELETE"
	code       int    // a status to answer, or 0 with action
	action     string // "reset" or "lost"
	retryAfter string
	times      int
}

// apiServer speaks enough of the Kubernetes API for ConfigMaps in one
// namespace: get, list (limit and continue), create, update (with
// resourceVersion conflicts), delete; it counts requests per kind and
// status.
type apiServer struct {
	mu      sync.Mutex
	ns      string
	objs    map[string]*corev1.ConfigMap
	rv      int
	faults  []fault
	counts  map[string]int // "GET 200", "POST reset", ...
	creates int            // ConfigMaps created
	updates int            // updates applied
	// conflicts makes the next n updates fail with 409 as if another
	// writer had updated the object in between.
	conflicts int
}

func newAPIServer(ns string, faults ...fault) *apiServer {
	return &apiServer{ns: ns, objs: map[string]*corev1.ConfigMap{}, faults: faults, counts: map[string]int{}}
}

func (s *apiServer) put(name string, data map[string]string) {
	s.rv++
	s.objs[name] = &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{Kind: "ConfigMap", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: s.ns, ResourceVersion: strconv.Itoa(s.rv)},
		Data:       data,
	}
}

// total returns the number of requests of kind (all statuses).
func (s *apiServer) total(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, v := range s.counts {
		if strings.HasPrefix(k, kind+" ") {
			n += v
		}
	}
	return n
}

// summary lists the request counts, sorted.
func (s *apiServer) summary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k := range s.counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%s=%d", strings.ReplaceAll(k, " ", ":"), s.counts[k])
	}
	return b.String()
}

func (s *apiServer) writeStatus(w http.ResponseWriter, code int, reason metav1.StatusReason, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(&metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure, Message: msg, Reason: reason, Code: int32(code),
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// reset closes the request's connection with a TCP RST: the client gets
// ECONNRESET ("connection reset by peer").
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}

func (s *apiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := "/api/v1/namespaces/" + s.ns + "/configmaps"
	if !strings.HasPrefix(r.URL.Path, prefix) {
		s.counts["OTHER 404"]++
		s.writeStatus(w, http.StatusNotFound, metav1.StatusReasonNotFound, "no such path "+r.URL.Path)
		return
	}
	name := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, prefix), "/")
	kind := r.Method
	if r.Method == http.MethodGet && name == "" {
		kind = "LIST"
		if r.URL.Query().Get("continue") != "" {
			kind = "LIST2"
		}
	}
	count := kind
	if kind == "LIST2" {
		count = "LIST"
	}
	var f *fault
	if len(s.faults) > 0 && s.faults[0].kind == kind {
		f = &s.faults[0]
		if f.times--; f.times <= 0 {
			s.faults = s.faults[1:]
		}
	}
	switch {
	case f != nil && f.code != 0:
		s.counts[fmt.Sprintf("%s %d", count, f.code)]++
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		s.writeStatus(w, f.code, metav1.StatusReason(http.StatusText(f.code)), "injected")
		return
	case f != nil && f.action == "reset":
		s.counts[count+" reset"]++
		reset(w)
		return
	}
	if f != nil && f.action == "lost" {
		s.act(httptest.NewRecorder(), r, kind, name)
		s.counts[count+" lost"]++
		reset(w)
		return
	}
	code := s.act(w, r, kind, name)
	s.counts[fmt.Sprintf("%s %d", count, code)]++
}

// decodeConfigMap decodes the request's ConfigMap, sent as protobuf (the
// clientset's default for built-in types) or JSON.
func decodeConfigMap(r *http.Request) (*corev1.ConfigMap, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	obj, _, err := scheme.Codecs.UniversalDeserializer().Decode(body, nil, nil)
	if err != nil {
		return nil, err
	}
	cm, ok := obj.(*corev1.ConfigMap)
	if !ok {
		return nil, fmt.Errorf("not a ConfigMap: %T", obj)
	}
	return cm, nil
}

// act performs the request and answers it on w; it returns the status.
func (s *apiServer) act(w http.ResponseWriter, r *http.Request, kind, name string) int {
	answer := func(code int, v any) int {
		writeJSON(w, code, v)
		return code
	}
	fail := func(code int, reason metav1.StatusReason, msg string) int {
		s.writeStatus(w, code, reason, msg)
		return code
	}
	switch kind {
	case "GET":
		cm, ok := s.objs[name]
		if !ok {
			return fail(http.StatusNotFound, metav1.StatusReasonNotFound, fmt.Sprintf("configmaps %q not found", name))
		}
		return answer(http.StatusOK, cm)
	case "LIST", "LIST2":
		var names []string
		for n := range s.objs {
			names = append(names, n)
		}
		sort.Strings(names)
		start, _ := strconv.Atoi(r.URL.Query().Get("continue"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		end := len(names)
		if limit > 0 && start+limit < end {
			end = start + limit
		}
		list := &corev1.ConfigMapList{TypeMeta: metav1.TypeMeta{Kind: "ConfigMapList", APIVersion: "v1"}}
		list.ResourceVersion = strconv.Itoa(s.rv)
		for _, n := range names[start:end] {
			list.Items = append(list.Items, *s.objs[n])
		}
		if end < len(names) {
			list.Continue = strconv.Itoa(end)
		}
		return answer(http.StatusOK, list)
	case "POST":
		cm, err := decodeConfigMap(r)
		if err != nil {
			return fail(http.StatusBadRequest, metav1.StatusReasonBadRequest, err.Error())
		}
		if cm.Name == "" {
			return fail(http.StatusUnprocessableEntity, metav1.StatusReasonInvalid, "ConfigMap is invalid: metadata.name: Required value")
		}
		if _, ok := s.objs[cm.Name]; ok {
			return fail(http.StatusConflict, metav1.StatusReasonAlreadyExists, fmt.Sprintf("configmaps %q already exists", cm.Name))
		}
		s.put(cm.Name, cm.Data)
		s.creates++
		return answer(http.StatusCreated, s.objs[cm.Name])
	case "PUT":
		cm, err := decodeConfigMap(r)
		if err != nil {
			return fail(http.StatusBadRequest, metav1.StatusReasonBadRequest, err.Error())
		}
		cur, ok := s.objs[name]
		if !ok {
			return fail(http.StatusNotFound, metav1.StatusReasonNotFound, fmt.Sprintf("configmaps %q not found", name))
		}
		if s.conflicts > 0 {
			s.conflicts--
			s.put(name, cur.Data) // another writer
			cur = s.objs[name]
		}
		if cm.ResourceVersion != cur.ResourceVersion {
			return fail(http.StatusConflict, metav1.StatusReasonConflict, fmt.Sprintf("Operation cannot be fulfilled on configmaps %q: the object has been modified", name))
		}
		s.put(name, cm.Data)
		s.updates++
		return answer(http.StatusOK, s.objs[name])
	case "DELETE":
		if _, ok := s.objs[name]; !ok {
			return fail(http.StatusNotFound, metav1.StatusReasonNotFound, fmt.Sprintf("configmaps %q not found", name))
		}
		delete(s.objs, name)
		return answer(http.StatusOK, &metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: metav1.StatusSuccess})
	}
	return fail(http.StatusMethodNotAllowed, metav1.StatusReasonMethodNotAllowed, r.Method)
}

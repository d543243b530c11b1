package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FileNames are the names of the configuration file, in order of
// preference, that Find looks for.
var FileNames = []string{".resilience.yml", ".resilience.yaml"}

// FileError is an invalid configuration file: it names the file, the line
// (0 if unknown) and the key (if known).
type FileError struct {
	File string
	Line int
	Key  string
	Err  error
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		fmt.Fprintf(&b, "%s: ", e.Key)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Err }

// Find returns the path of the configuration file in dir or the nearest
// of its parents, or "" if there is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		for _, name := range FileNames {
			p := filepath.Join(dir, name)
			fi, err := os.Stat(p)
			if err == nil && !fi.IsDir() {
				return p, nil
			}
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("config: %v", err)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Discover loads the configuration file found by Find(dir). With no file
// it returns Default() and an empty path.
func Discover(dir string) (cfg *Config, file string, err error) {
	file, err = Find(dir)
	if err != nil {
		return nil, "", err
	}
	if file == "" {
		return Default(), "", nil
	}
	cfg, err = Load(file)
	return cfg, file, err
}

// Load reads, decodes and validates a configuration file. An unknown key,
// a value of the wrong type or an invalid setting is a *FileError naming
// the file, the line and the key.
func Load(file string) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(file, data)
}

// Parse decodes and validates configuration data read from file (the name
// is used in errors only).
func Parse(file string, data []byte) (*Config, error) {
	cfg := Default()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(file, err, nil)
	}
	if len(bytes.TrimSpace(data)) == 0 || len(root.Content) == 0 {
		return cfg, nil // an empty file is the default configuration
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(file, err, &root)
	}
	if err := cfg.Validate(); err != nil {
		return nil, validateError(file, &root, err)
	}
	if line := keyLine(&root, "policy"); cfg.Policy != "" && line > 0 {
		cfg.PolicySource = fmt.Sprintf("%s:%d", file, line)
	}
	return cfg, nil
}

var (
	// yaml.v3 errors read "line N: message".
	yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	// "field foo not found in type config.Config"
	yamlUnknown = regexp.MustCompile(`^field (\S+) not found in type`)
	// "cannot unmarshal !!str `sometimes` into bool"
	yamlType = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")
)

// What a Go type of Config wants, and what a YAML tag is, in words.
var (
	wantType = map[string]string{
		"bool":     "true or false",
		"string":   "a string",
		"[]string": "a list of strings",
	}
	yamlKind = map[string]string{
		"str":   "the string",
		"int":   "the number",
		"float": "the number",
		"bool":  "the boolean",
		"null":  "null",
		"seq":   "a list",
		"map":   "a mapping",
	}
)

// typeMessage rewords a yaml.v3 type error ("cannot unmarshal !!str `x`
// into bool") as what the key wants and what it got.
func typeMessage(msg string) string {
	m := yamlType.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	want, ok := wantType[m[3]]
	if !ok {
		want = m[3]
	}
	got, ok := yamlKind[m[1]]
	if !ok {
		got = "a " + m[1]
	}
	if m[2] != "" && m[1] != "null" {
		got += " " + strconv.Quote(m[2])
	}
	return "want " + want + ", got " + got
}

// keyAt returns the top-level key whose entry contains line: the last key
// at or before it.
func keyAt(root *yaml.Node, line int) string {
	if root == nil {
		return ""
	}
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return ""
	}
	key := ""
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Line <= line {
			key = doc.Content[i].Value
		}
	}
	return key
}

// yamlError turns a yaml.v3 error into FileErrors (joined when the decoder
// found several problems). With the document's root, a value of the wrong
// type is named by its key.
func yamlError(file string, err error, root *yaml.Node) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var errs []error
	for _, m := range msgs {
		fe := &FileError{File: file, Err: errors.New(m)}
		if sm := yamlLine.FindStringSubmatch(m); sm != nil {
			fe.Line, _ = strconv.Atoi(sm[1])
			fe.Err = errors.New(sm[2])
			if um := yamlUnknown.FindStringSubmatch(sm[2]); um != nil {
				fe.Key = um[1]
				fe.Err = unknownKey(um[1])
			} else if yamlType.MatchString(sm[2]) {
				fe.Key = keyAt(root, fe.Line)
				fe.Err = errors.New(typeMessage(sm[2]))
			}
		}
		errs = append(errs, fe)
	}
	return errors.Join(errs...)
}

// validateError attaches the file and the key's line to the errors of
// Validate, which read "config: key: message".
func validateError(file string, root *yaml.Node, err error) error {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	var errs []error
	for _, e := range list {
		msg := strings.TrimPrefix(e.Error(), "config: ")
		fe := &FileError{File: file, Err: errors.New(msg)}
		if key, rest, ok := strings.Cut(msg, ": "); ok && !strings.ContainsAny(key, " \"") {
			fe.Key = key
			fe.Err = errors.New(rest)
			fe.Line = keyLine(root, key)
		}
		errs = append(errs, fe)
	}
	return errors.Join(errs...)
}

// keyLine returns the line of a top-level key of the document, 0 if absent.
func keyLine(root *yaml.Node, key string) int {
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return 0
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == key {
			return doc.Content[i].Line
		}
	}
	return 0
}

// Keys returns the configuration file's keys, in declaration order.
func Keys() []string {
	t := reflect.TypeFor[Config]()
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// unknownKey explains an unknown key, suggesting the nearest known one.
func unknownKey(key string) error {
	best, bestDist := "", 4 // suggest only close matches
	for _, k := range Keys() {
		if d := editDistance(key, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return fmt.Errorf("unknown key (did you mean %s?)", best)
	}
	return fmt.Errorf("unknown key (known keys: %s)", strings.Join(Keys(), ", "))
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Package reqplain sends a POST, then makes a call whose failure the
// default classifier never retries (a parse, a decode of bytes in memory,
// a validation of its own): no retry can send the POST again
// (transient.go). A later call that may fail transiently, or a body that
// makes a transient error of its own, keeps the refusal.
package reqplain

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
)

type Client struct {
	base string
	hc   *http.Client
}

// Created is what the server answers.
type Created struct {
	ID    string
	Num   string
	At    string
	Meta  json.RawMessage
	Extra map[string]any
}

// Meta is decoded by encoding/json's own rules.
type Meta struct {
	Tags  []string
	Owner struct{ Name string }
}

// Custom decodes itself: its errors are its own.
type Custom struct{ V int }

func (c *Custom) UnmarshalJSON(b []byte) error { return nil }

// apiError carries an HTTP status the classifier reads.
type apiError struct{ StatusCode int }

func (e *apiError) Error() string { return "status " + strconv.Itoa(e.StatusCode) }

var (
	ErrInvalid     = errors.New("invalid")
	errUnavailable = &apiError{StatusCode: 503}
)

func (c *Client) create() (*Created, error) { // want create:"sends a request"
	resp, err := c.hc.Post(c.base+"/items", "application/json", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var out Created
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *Client) get(id string) error {
	resp, err := c.hc.Get(c.base + "/items/" + id)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// validate fails only with errors of its own.
func (cr *Created) validate() error {
	if cr.ID == "" {
		return ErrInvalid
	}
	var err error
	if cr.Num == "" {
		err = fmt.Errorf("no number for %s", cr.ID)
	}
	if err != nil {
		return err
	}
	_, err = strconv.Atoi(cr.Num)
	return err
}

// wrapped wraps what it is given: not a plain error.
func wrapped(err error) error { return fmt.Errorf("bad: %w", err) }

// Parse creates, then parses the answer's fields.
func (c *Client) Parse() (int, error) { // want Parse:"sends a request"
	cr, err := c.create()
	if err != nil {
		return 0, err
	}
	if _, err := uuid.Parse(cr.ID); err != nil {
		return 0, fmt.Errorf("id: %w", err)
	}
	if _, err := time.Parse(time.RFC3339, cr.At); err != nil {
		return 0, err
	}
	return strconv.Atoi(cr.Num)
}

// Validate creates, then validates the answer with a method of its own.
func (c *Client) Validate() error { // want Validate:"sends a request"
	cr, err := c.create()
	if err != nil {
		return err
	}
	return cr.validate()
}

// Decode creates, then decodes the answer's raw field.
func (c *Client) Decode() (*Meta, error) { // want Decode:"sends a request"
	cr, err := c.create()
	if err != nil {
		return nil, err
	}
	var m Meta
	if err := json.Unmarshal(cr.Meta, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// DecodeCustom decodes into a type with a decoding method of its own.
func (c *Client) DecodeCustom() (*Custom, error) { // want DecodeCustom:"sends a request early"
	cr, err := c.create()
	if err != nil {
		return nil, err
	}
	var m Custom
	if err := json.Unmarshal(cr.Meta, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// Unavailable answers a parse failure with an error the classifier
// retries.
func (c *Client) Unavailable() (int, error) { // want Unavailable:"sends a request early"
	cr, err := c.create()
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(cr.Num)
	if err != nil {
		return 0, errUnavailable
	}
	return n, nil
}

// Fetch creates, then sends another request.
func (c *Client) Fetch() error { // want Fetch:"sends a request early"
	cr, err := c.create()
	if err != nil {
		return err
	}
	return c.get(cr.ID)
}

// Wrap creates, then calls a function that wraps an error.
func (c *Client) Wrap() error { // want Wrap:"sends a request early"
	cr, err := c.create()
	if err != nil {
		return err
	}
	if cr.ID == "" {
		return wrapped(ErrInvalid)
	}
	return nil
}

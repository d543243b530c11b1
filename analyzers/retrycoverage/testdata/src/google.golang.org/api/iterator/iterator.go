// Package iterator stands in for google.golang.org/api/iterator, the
// paging helper Google's Go clients build their iterators on: NewPageInfo
// (a package variable set to a function) keeps the fetch function it is
// handed in a field and returns the method value that calls it.
package iterator

import "errors"

// Done is returned by an iterator's Next when there are no more items.
var Done = errors.New("no more items in iterator")

// PageInfo keeps the paging state of an iterator.
type PageInfo struct {
	Token   string
	MaxSize int
	fetch   func(pageSize int, pageToken string) (nextPageToken string, err error)
	bufLen  func() int
	takeBuf func() interface{}
	err     error
	atEnd   bool
}

// NewPageInfo exposes newPageInfo to iterator implementations.
var NewPageInfo = newPageInfo

func newPageInfo(fetch func(int, string) (string, error), bufLen func() int, takeBuf func() interface{}) (pi *PageInfo, next func() error) {
	pi = &PageInfo{fetch: fetch, bufLen: bufLen, takeBuf: takeBuf}
	return pi, pi.next
}

// next fetches pages until the buffer has items or the listing ends.
func (pi *PageInfo) next() error {
	if pi.err != nil {
		return pi.err
	}
	for pi.bufLen() == 0 && !pi.atEnd {
		tok, err := pi.fetch(pi.MaxSize, pi.Token)
		if err != nil {
			pi.takeBuf()
			pi.err = err
			return err
		}
		pi.Token = tok
		if tok == "" {
			pi.atEnd = true
		}
	}
	if pi.bufLen() == 0 {
		pi.err = Done
	}
	return pi.err
}

// Package bson stands in for the MongoDB driver's bson package: Marshal
// and Unmarshal convert in memory, calling a value's own Marshaler or
// Unmarshaler (an interface method that returns an error).
package bson

// Marshaler is a value's own conversion.
type Marshaler interface{ MarshalBSON() ([]byte, error) }

// Unmarshaler is a value's own conversion.
type Unmarshaler interface{ UnmarshalBSON([]byte) error }

// Marshal encodes val.
func Marshal(val any) ([]byte, error) {
	if m, ok := val.(Marshaler); ok {
		return m.MarshalBSON()
	}
	return nil, nil
}

// Unmarshal decodes data into val.
func Unmarshal(data []byte, val any) error {
	if u, ok := val.(Unmarshaler); ok {
		return u.UnmarshalBSON(data)
	}
	return nil
}

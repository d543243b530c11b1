// Package attributevalue stands in for aws-sdk-go-v2's
// feature/dynamodb/attributevalue: it converts Go values to and from
// DynamoDB attribute values in memory, calling a value's own Marshaler
// or Unmarshaler (an interface method that returns an error).
package attributevalue

import "github.com/aws/aws-sdk-go-v2/service/dynamodb"

// Marshaler is a value's own conversion.
type Marshaler interface {
	MarshalDynamoDBAttributeValue() (dynamodb.AttributeValue, error)
}

// Unmarshaler is a value's own conversion.
type Unmarshaler interface {
	UnmarshalDynamoDBAttributeValue(dynamodb.AttributeValue) error
}

// MarshalMap converts in to an item.
func MarshalMap(in any) (map[string]dynamodb.AttributeValue, error) {
	if m, ok := in.(Marshaler); ok {
		av, err := m.MarshalDynamoDBAttributeValue()
		if err != nil {
			return nil, err
		}
		return map[string]dynamodb.AttributeValue{"": av}, nil
	}
	return map[string]dynamodb.AttributeValue{}, nil
}

// UnmarshalMap converts an item into out.
func UnmarshalMap(m map[string]dynamodb.AttributeValue, out any) error {
	if u, ok := out.(Unmarshaler); ok {
		return u.UnmarshalDynamoDBAttributeValue(m[""])
	}
	return nil
}

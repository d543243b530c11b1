// Package dynamouser is a repository over an aws-sdk-go-v2 DynamoDB
// client (a default retrying type) that converts its items with the SDK's
// attributevalue package, as every DynamoDB repository does: the
// conversions fail only on the values given (a type that cannot be
// converted, a value's own Marshaler), a second try gets the same error,
// so they are no work outside the SDK's retry. bson's Marshal and
// Unmarshal are the same for the MongoDB driver.
package dynamouser

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// Order is an item.
type Order struct{ ID, Name string }

// Store keeps orders in a table.
type Store struct {
	db *dynamodb.Client
}

// Get reads the item and converts it: routed by the SDK's retry.
func (s *Store) Get(ctx context.Context, id string) (Order, error) { // want Get:`^routed by dynamodb.Client.GetItem, which retries by construction \(the default retrying type github.com/aws/aws-sdk-go-v2/service/\*.Client selects dynamodb.Client\)$`
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{})
	if err != nil {
		return Order{}, err
	}
	var o Order
	err = attributevalue.UnmarshalMap(out.Item, &o)
	return o, err
}

// Create converts the order, then writes it if its id is free: routed.
func (s *Store) Create(ctx context.Context, o Order) error { // want Create:`^routed by dynamodb.Client.PutItem, which retries by construction \(the default retrying type github.com/aws/aws-sdk-go-v2/service/\*.Client selects dynamodb.Client\)$`
	item, err := attributevalue.MarshalMap(o)
	if err != nil {
		return err
	}
	cond := "attribute_not_exists(pk)"
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{Item: item, ConditionExpression: &cond})
	return err
}

// Snapshot stores a BSON encoding of raw's document: routed.
func (s *Store) Snapshot(ctx context.Context, raw []byte) error { // want Snapshot:`^routed by dynamodb.Client.PutItem, which retries by construction \(the default retrying type github.com/aws/aws-sdk-go-v2/service/\*.Client selects dynamodb.Client\)$`
	var doc map[string]any
	if err := bson.Unmarshal(raw, &doc); err != nil {
		return err
	}
	if _, err := bson.Marshal(doc); err != nil {
		return err
	}
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{})
	return err
}

// Rename reads through Get and writes: routed by both calls.
func (s *Store) Rename(ctx context.Context, id, name string) error { // want Rename:`^routed by`
	o, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if o.ID == "" {
		return errors.New("no such order")
	}
	o.Name = name
	return s.Create(ctx, o)
}

// All reads every page through the SDK's paginator: each page's Query is
// retried by the SDK, and the paginator moves on only after a page was
// read, so the method is routed.
func (s *Store) All(ctx context.Context) ([]Order, error) { // want All:`^routed by dynamodb.QueryPaginator.NextPage, which retries by construction \(the default retrying type github.com/aws/aws-sdk-go-v2/service/\*.\*Paginator selects dynamodb.QueryPaginator\)$`
	var orders []Order
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, item := range page.Items {
			var o Order
			if err := attributevalue.UnmarshalMap(item, &o); err != nil {
				return nil, err
			}
			orders = append(orders, o)
		}
	}
	return orders, nil
}

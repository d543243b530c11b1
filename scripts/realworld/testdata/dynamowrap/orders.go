// Package orders is a hand-written repository over a DynamoDB table, as a
// service would have one: reads, conditional writes, a counter, a
// transaction, pages by cursor and a batch import.
package orders

import (
	"context"
	"errors"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Order is one item of the table (partition key pk).
type Order struct {
	ID       string `dynamodbav:"pk"`
	Customer string `dynamodbav:"customer"`
	Name     string `dynamodbav:"name"`
	Stock    int    `dynamodbav:"stock"`
	Views    int    `dynamodbav:"views"`
	Version  int    `dynamodbav:"version"`
}

// ErrExists is returned by Create for an id already taken.
var ErrExists = errors.New("orders: order exists")

// ErrConflict is returned when a condition on the stored item failed: not
// enough stock, or a version changed since it was read.
var ErrConflict = errors.New("orders: condition failed")

// Store keeps orders in one DynamoDB table.
type Store struct {
	Client *dynamodb.Client
	Table  string
}

func key(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: id}}
}

// conflict maps a failed condition to ErrConflict.
func conflict(err error) error {
	var ccf *types.ConditionalCheckFailedException
	var tce *types.TransactionCanceledException
	if errors.As(err, &ccf) || errors.As(err, &tce) {
		return ErrConflict
	}
	return err
}

// Get returns the order id.
func (s *Store) Get(ctx context.Context, id string) (Order, error) {
	out, err := s.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: key(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return Order{}, err
	}
	var o Order
	err = attributevalue.UnmarshalMap(out.Item, &o)
	return o, err
}

// Create stores o unless its id is taken (ErrExists).
func (s *Store) Create(ctx context.Context, o Order) error {
	item, err := attributevalue.MarshalMap(o)
	if err != nil {
		return err
	}
	_, err = s.Client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.Table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return ErrExists
	}
	return err
}

// Reserve takes qty from the order's stock, if it has that many
// (ErrConflict otherwise).
func (s *Store) Reserve(ctx context.Context, id string, qty int) error {
	_, err := s.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(s.Table),
		Key:                 key(id),
		UpdateExpression:    aws.String("SET stock = stock - :q"),
		ConditionExpression: aws.String("stock >= :q"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":q": &types.AttributeValueMemberN{Value: strconv.Itoa(qty)},
		},
	})
	return conflict(err)
}

// View counts one view of the order.
func (s *Store) View(ctx context.Context, id string) error {
	_, err := s.Client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:        aws.String(s.Table),
		Key:              key(id),
		UpdateExpression: aws.String("ADD views :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one": &types.AttributeValueMemberN{Value: "1"},
		},
	})
	return err
}

// Rename sets the order's name: a read, then a put conditional on the
// version read (optimistic locking).
func (s *Store) Rename(ctx context.Context, id, name string) error {
	o, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	o.Name = name
	o.Version++
	item, err := attributevalue.MarshalMap(o)
	if err != nil {
		return err
	}
	_, err = s.Client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.Table),
		Item:                item,
		ConditionExpression: aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":v": &types.AttributeValueMemberN{Value: strconv.Itoa(o.Version - 1)},
		},
	})
	return conflict(err)
}

// Checkout takes qty from the order's stock and stores a receipt, both or
// neither (a transaction).
func (s *Store) Checkout(ctx context.Context, id, receipt string, qty int) error {
	_, err := s.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{
			{Update: &types.Update{
				TableName:           aws.String(s.Table),
				Key:                 key(id),
				UpdateExpression:    aws.String("SET stock = stock - :q"),
				ConditionExpression: aws.String("stock >= :q"),
				ExpressionAttributeValues: map[string]types.AttributeValue{
					":q": &types.AttributeValueMemberN{Value: strconv.Itoa(qty)},
				},
			}},
			{Put: &types.Put{
				TableName:           aws.String(s.Table),
				Item:                key(receipt),
				ConditionExpression: aws.String("attribute_not_exists(pk)"),
			}},
		},
	})
	return conflict(err)
}

// ByCustomer returns the customer's orders, all pages of them.
func (s *Store) ByCustomer(ctx context.Context, customer string) ([]Order, error) {
	p := dynamodb.NewQueryPaginator(s.Client, &dynamodb.QueryInput{
		TableName:              aws.String(s.Table),
		IndexName:              aws.String("by-customer"),
		KeyConditionExpression: aws.String("customer = :c"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":c": &types.AttributeValueMemberS{Value: customer},
		},
	})
	var all []Order
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		var os []Order
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &os); err != nil {
			return nil, err
		}
		all = append(all, os...)
	}
	return all, nil
}

// Page returns one page of the customer's orders from cursor (nil for the
// first) and the cursor of the next page (nil after the last).
func (s *Store) Page(ctx context.Context, customer string, cursor map[string]types.AttributeValue) ([]Order, map[string]types.AttributeValue, error) {
	out, err := s.Client.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(s.Table),
		IndexName:              aws.String("by-customer"),
		KeyConditionExpression: aws.String("customer = :c"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":c": &types.AttributeValueMemberS{Value: customer},
		},
		ExclusiveStartKey: cursor,
	})
	if err != nil {
		return nil, nil, err
	}
	var os []Order
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &os); err != nil {
		return nil, nil, err
	}
	return os, out.LastEvaluatedKey, nil
}

// Count returns the number of items in the table (a Scan of counts).
func (s *Store) Count(ctx context.Context) (int, error) {
	p := dynamodb.NewScanPaginator(s.Client, &dynamodb.ScanInput{TableName: aws.String(s.Table), Select: types.SelectCount})
	n := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, err
		}
		n += int(page.Count)
	}
	return n, nil
}

// Import stores orders, 25 at a time, sending again what DynamoDB left
// unprocessed.
func (s *Store) Import(ctx context.Context, orders []Order) error {
	for start := 0; start < len(orders); start += 25 {
		end := min(start+25, len(orders))
		var reqs []types.WriteRequest
		for _, o := range orders[start:end] {
			item, err := attributevalue.MarshalMap(o)
			if err != nil {
				return err
			}
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		}
		pending := map[string][]types.WriteRequest{s.Table: reqs}
		for len(pending) > 0 {
			out, err := s.Client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return err
			}
			pending = out.UnprocessedItems
		}
	}
	return nil
}

// Delete removes the order id.
func (s *Store) Delete(ctx context.Context, id string) error {
	_, err := s.Client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.Table), Key: key(id)})
	return err
}

// Package inventory is a hand-written repository over a MongoDB
// collection, as a service would have one: reads, conditional updates, a
// find-and-modify, cursors, a transaction and a bulk import.
package inventory

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// Item is one document of the collection.
type Item struct {
	ID       string `bson:"_id"`
	Customer string `bson:"customer"`
	Stock    int    `bson:"stock"`
	Owner    string `bson:"owner,omitempty"`
}

// ErrExists is returned by Insert for an id already taken.
var ErrExists = errors.New("inventory: item exists")

// ErrConflict is returned when the item is not in the state the update
// requires (not enough stock, already claimed).
var ErrConflict = errors.New("inventory: conflict")

// Store keeps items in one MongoDB collection.
type Store struct {
	Client *mongo.Client
	Items  *mongo.Collection
}

// Get returns the item id.
func (s *Store) Get(ctx context.Context, id string) (Item, error) {
	var it Item
	err := s.Items.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&it)
	return it, err
}

// Insert stores it unless its id is taken (ErrExists).
func (s *Store) Insert(ctx context.Context, it Item) error {
	_, err := s.Items.InsertOne(ctx, it)
	if mongo.IsDuplicateKeyError(err) {
		return ErrExists
	}
	return err
}

// Reserve takes qty from the item's stock, if it has that many
// (ErrConflict otherwise).
func (s *Store) Reserve(ctx context.Context, id string, qty int) error {
	res, err := s.Items.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "stock", Value: bson.D{{Key: "$gte", Value: qty}}}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "stock", Value: -qty}}}})
	if err != nil {
		return err
	}
	if res.MatchedCount == 0 {
		return ErrConflict
	}
	return nil
}

// Claim gives the item to owner if nobody has it, and returns it as
// claimed.
func (s *Store) Claim(ctx context.Context, id, owner string) (Item, error) {
	var it Item
	err := s.Items.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "owner", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "owner", Value: owner}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&it)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return Item{}, ErrConflict
	}
	return it, err
}

// List returns the customer's items.
func (s *Store) List(ctx context.Context, customer string) ([]Item, error) {
	cur, err := s.Items.Find(ctx, bson.D{{Key: "customer", Value: customer}})
	if err != nil {
		return nil, err
	}
	var items []Item
	err = cur.All(ctx, &items)
	return items, err
}

// Each runs fn on each of the customer's items, in the order the cursor
// returns them, and stops at fn's first error.
func (s *Store) Each(ctx context.Context, customer string, fn func(Item) error) error {
	cur, err := s.Items.Find(ctx, bson.D{{Key: "customer", Value: customer}})
	if err != nil {
		return err
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var it Item
		if err := cur.Decode(&it); err != nil {
			return err
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return cur.Err()
}

// Transfer moves qty of stock from one item to another, both or neither
// (a transaction; WithTransaction retries it on a transient transaction
// error and its commit on an unknown commit result).
func (s *Store) Transfer(ctx context.Context, from, to string, qty int) error {
	sess, err := s.Client.StartSession()
	if err != nil {
		return err
	}
	defer sess.EndSession(ctx)
	_, err = sess.WithTransaction(ctx, func(ctx context.Context) (any, error) {
		res, err := s.Items.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: from}, {Key: "stock", Value: bson.D{{Key: "$gte", Value: qty}}}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "stock", Value: -qty}}}})
		if err != nil {
			return nil, err
		}
		if res.MatchedCount == 0 {
			return nil, ErrConflict
		}
		_, err = s.Items.UpdateOne(ctx, bson.D{{Key: "_id", Value: to}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "stock", Value: qty}}}})
		return nil, err
	})
	return err
}

// Import inserts items in one unordered bulk write.
func (s *Store) Import(ctx context.Context, items []Item) error {
	models := make([]mongo.WriteModel, 0, len(items))
	for _, it := range items {
		models = append(models, mongo.NewInsertOneModel().SetDocument(it))
	}
	_, err := s.Items.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	return err
}

// Count returns the number of the customer's items.
func (s *Store) Count(ctx context.Context, customer string) (int64, error) {
	return s.Items.CountDocuments(ctx, bson.D{{Key: "customer", Value: customer}})
}

// Ping checks that the primary answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.Client.Ping(ctx, readpref.Primary())
}

// Package catalog is a hand-written service over three GraphQL clients,
// as a shop's backend would have them: genqlient's generated operations
// (Catalog), machinebox/graphql (Orders) and shurcooL/graphql
// (Inventory). Queries are POSTs that read; mutations are POSTs that
// create. GraphQL errors come back as HTTP 200 with an errors array.
package catalog

import (
	"context"
	"errors"

	genqlient "github.com/Khan/genqlient/graphql"
	mbgraphql "github.com/machinebox/graphql"
	"github.com/shurcooL/graphql"
)

// Catalog reads and orders products through genqlient.
type Catalog struct {
	GQL    genqlient.Client
	recent []string // names of the products looked up, newest last
}

// Product returns the product id.
func (c *Catalog) Product(ctx context.Context, id string) (*Product, error) {
	res, err := GetProduct(ctx, c.GQL, id)
	if err != nil {
		return nil, err
	}
	if res.Product == nil {
		return nil, errors.New("catalog: no product " + id)
	}
	return res.Product, nil
}

// Names returns the names of the products ids that the server resolved,
// with the server's error when it resolved only some of them (a partial
// answer: data and errors in one response).
func (c *Catalog) Names(ctx context.Context, ids []string) ([]string, error) {
	res, err := GetProducts(ctx, c.GQL, ids)
	var names []string
	for _, p := range res.Products {
		if p != nil {
			names = append(names, p.Name)
		}
	}
	return names, err
}

// Remember looks up the products ids one by one and records their names
// in the catalog's history.
func (c *Catalog) Remember(ctx context.Context, ids []string) error {
	for _, id := range ids {
		res, err := GetProduct(ctx, c.GQL, id)
		if err != nil {
			return err
		}
		if res.Product != nil {
			c.recent = append(c.recent, res.Product.Name)
		}
	}
	return nil
}

// Recent returns the history of Remember.
func (c *Catalog) Recent() []string { return c.recent }

// Order places an order of qty items of sku and returns its id.
func (c *Catalog) Order(ctx context.Context, sku string, qty int) (string, error) {
	res, err := CreateOrder(ctx, c.GQL, sku, qty)
	if err != nil {
		return "", err
	}
	return res.CreateOrder.Id, nil
}

// Orders reads and places orders through machinebox/graphql.
type Orders struct {
	Client *mbgraphql.Client
}

// Status returns the status of the order id.
func (o *Orders) Status(ctx context.Context, id string) (string, error) {
	req := mbgraphql.NewRequest(`query ($id: ID!) { order(id: $id) { id status } }`)
	req.Var("id", id)
	var resp struct {
		Order struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"order"`
	}
	if err := o.Client.Run(ctx, req, &resp); err != nil {
		return "", err
	}
	return resp.Order.Status, nil
}

// Place places an order of qty items of sku and returns its id.
func (o *Orders) Place(ctx context.Context, sku string, qty int) (string, error) {
	req := mbgraphql.NewRequest(`mutation ($sku: ID!, $qty: Int!) { createOrder(sku: $sku, qty: $qty) { id } }`)
	req.Var("sku", sku)
	req.Var("qty", qty)
	var resp struct {
		CreateOrder struct {
			ID string `json:"id"`
		} `json:"createOrder"`
	}
	if err := o.Client.Run(ctx, req, &resp); err != nil {
		return "", err
	}
	return resp.CreateOrder.ID, nil
}

// Inventory reads and reserves stock through shurcooL/graphql.
type Inventory struct {
	Client *graphql.Client
}

// Stock returns the quantity of sku in stock.
func (i *Inventory) Stock(ctx context.Context, sku string) (int, error) {
	var q struct {
		Stock struct {
			Qty graphql.Int
		} `graphql:"stock(sku: $sku)"`
	}
	if err := i.Client.Query(ctx, &q, map[string]any{"sku": graphql.ID(sku)}); err != nil {
		return 0, err
	}
	return int(q.Stock.Qty), nil
}

// Reserve reserves qty items of sku and returns the reservation's id.
func (i *Inventory) Reserve(ctx context.Context, sku string, qty int) (string, error) {
	var m struct {
		Reserve struct {
			ID graphql.ID
		} `graphql:"reserve(sku: $sku, qty: $qty)"`
	}
	if err := i.Client.Mutate(ctx, &m, map[string]any{"sku": graphql.ID(sku), "qty": graphql.Int(qty)}); err != nil {
		return "", err
	}
	return m.Reserve.ID.(string), nil
}

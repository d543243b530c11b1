package retrysafety

import "testing"

// TestGQLMutationOp checks which documents hold a mutation operation.
func TestGQLMutationOp(t *testing.T) {
	for _, tc := range []struct {
		doc, name string
		ok        bool
	}{
		{`mutation CreateOrder($sku: ID!) { createOrder(sku: $sku) { id } }`, "CreateOrder", true},
		{`mutation { cancel(id: 1) { ok } }`, "", true},
		{"# generated\nfragment F on Order { id }\nmutation M($a: Int) @live { m(a: $a) { ...F } }", "M", true},
		{`mutation($qty:Int!$sku:String!){reserve(sku: $sku, qty: $qty){id}}`, "", true},
		{`query GetProduct($id: ID!) { product(id: $id) { id mutation } }`, "", false},
		{`{ mutation { id } }`, "", false},
		{`# mutation Old { x }` + "\nquery { me { id } }", "", false},
		{`mutation failed: {id}`, "", false},
		{`mutation of sku {x} failed`, "", false},
		{`"mutation { x }"`, "", false},
		{`subscription { orders { id } }`, "", false},
	} {
		name, ok := gqlMutationOp(tc.doc)
		if ok != tc.ok || name != tc.name {
			t.Errorf("gqlMutationOp(%q) = %q, %v, want %q, %v", tc.doc, name, ok, tc.name, tc.ok)
		}
	}
}

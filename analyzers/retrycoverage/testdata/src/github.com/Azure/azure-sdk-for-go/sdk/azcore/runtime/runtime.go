// Package runtime stands in for azcore/runtime, whose Pipeline is an
// alias of the internal one.
package runtime

import "github.com/Azure/azure-sdk-for-go/sdk/azcore/internal/exported"

// Pipeline is azcore's pipeline.
type Pipeline = exported.Pipeline

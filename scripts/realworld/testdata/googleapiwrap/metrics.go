package docs

import (
	"context"
	"errors"

	monitoring "cloud.google.com/go/monitoring/apiv3/v2"
	"cloud.google.com/go/monitoring/apiv3/v2/monitoringpb"
	"google.golang.org/api/iterator"
	metricpb "google.golang.org/genproto/googleapis/api/metric"
)

// Metrics reads and writes a project's custom metrics in Cloud
// Monitoring.
type Metrics struct {
	Client  *monitoring.MetricClient
	Project string
}

// Descriptors returns the types of the project's metric descriptors,
// over all pages.
func (m *Metrics) Descriptors(ctx context.Context) ([]string, error) {
	it := m.Client.ListMetricDescriptors(ctx, &monitoringpb.ListMetricDescriptorsRequest{Name: "projects/" + m.Project})
	var types []string
	for {
		d, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return types, nil
		}
		if err != nil {
			return nil, err
		}
		types = append(types, d.GetType())
	}
}

// Descriptor returns the descriptor of the metric type t.
func (m *Metrics) Descriptor(ctx context.Context, t string) (*metricpb.MetricDescriptor, error) {
	return m.Client.GetMetricDescriptor(ctx, &monitoringpb.GetMetricDescriptorRequest{Name: "projects/" + m.Project + "/metricDescriptors/" + t})
}

// Write writes the time series ts.
func (m *Metrics) Write(ctx context.Context, ts []*monitoringpb.TimeSeries) error {
	return m.Client.CreateTimeSeries(ctx, &monitoringpb.CreateTimeSeriesRequest{Name: "projects/" + m.Project, TimeSeries: ts})
}

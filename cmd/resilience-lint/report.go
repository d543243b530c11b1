package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newReportCmd returns the "report" subcommand: the coverage report.
// The root command registers it with root.AddCommand(newReportCmd()).
func newReportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "report [packages]",
		Short: "Print retry and intelligence coverage and the health score",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("report: not implemented yet")
		},
	}
}

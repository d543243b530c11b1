module example.com/jobs

go 1.26

require (
	github.com/hibiken/asynq v0.26.0
	github.com/riverqueue/river v0.51.2
)

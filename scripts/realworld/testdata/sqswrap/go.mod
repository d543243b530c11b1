module example.com/queue

go 1.26

require github.com/aws/aws-sdk-go-v2/service/sqs v1.53.0

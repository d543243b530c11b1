module example.com/blob

go 1.26

require cloud.google.com/go/storage v1.70.0

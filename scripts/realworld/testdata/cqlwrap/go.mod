module example.com/store

go 1.26

require github.com/gocql/gocql v1.7.0

module example.com/tracker

go 1.26

require github.com/google/go-github/v75 v75.0.0

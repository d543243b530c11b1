module example.com/engine

go 1.26

require github.com/moby/moby/client v0.6.2

module example.com/deploy

go 1.26

require github.com/hashicorp/go-tfe v1.111.2

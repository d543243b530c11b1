module example.com/catalog

go 1.26

require (
	github.com/Khan/genqlient v0.8.1
	github.com/machinebox/graphql v0.2.2
	github.com/shurcooL/graphql v0.0.0-20240915155400-7ee5256398cf
)

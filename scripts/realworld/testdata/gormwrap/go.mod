module example.com/users

go 1.26

require (
	gorm.io/driver/postgres v1.6.0
	gorm.io/gorm v1.31.1
)

// Package users is a hand-written repository over gorm, as a service
// would have one: reads (First, Find), an insert, an update, and a
// transaction the method begins and commits. gorm keeps the database's
// error in the Error field of the *gorm.DB each finisher returns.
package users

import (
	"context"

	"gorm.io/gorm"
)

// User is one row of the users table.
type User struct {
	ID   int64
	Name string
}

// Repo reads and writes users.
type Repo struct{ DB *gorm.DB }

// Get returns the user with id.
func (r *Repo) Get(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := r.DB.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, err
	}
	return &u, nil
}

// List returns every user.
func (r *Repo) List(ctx context.Context) ([]User, error) {
	var us []User
	res := r.DB.WithContext(ctx).Find(&us)
	return us, res.Error
}

// Add inserts u.
func (r *Repo) Add(ctx context.Context, u *User) error {
	return r.DB.WithContext(ctx).Create(u).Error
}

// Rename sets the name of the user with id.
func (r *Repo) Rename(ctx context.Context, id int64, name string) error {
	return r.DB.WithContext(ctx).Model(&User{}).Where("id = ?", id).Update("name", name).Error
}

// Replace deletes old and inserts u in one transaction.
func (r *Repo) Replace(ctx context.Context, old, u *User) error {
	tx := r.DB.WithContext(ctx).Begin()
	if err := tx.Delete(old).Error; err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Create(u).Error; err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit().Error
}

// Package gormuser is an agent over gorm (package gorm.io/gorm), whose
// finishers return a *gorm.DB and leave the database's error in its
// Error field: a call whose Error is read is work that can fail
// (targets.ErrorFieldCalls), on the call or on the variable holding its
// result. A chain whose Error nobody reads is no work of this kind.
package gormuser

import (
	"context"

	"gorm.io/gorm"
)

type User struct{ ID int }

// Users reads users.
type Users struct{ DB *gorm.DB }

// Get reads the Error of First.
func (u *Users) Get(ctx context.Context, id int) (*User, error) { // want Get:"unrouted" `^Users.Get returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	var x User
	if err := u.DB.WithContext(ctx).First(&x, id).Error; err != nil {
		return nil, err
	}
	return &x, nil
}

// List reads the Error of the result it keeps.
func (u *Users) List(ctx context.Context) ([]User, error) { // want List:"unrouted" `^Users.List returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	var xs []User
	res := u.DB.WithContext(ctx).Find(&xs)
	return xs, res.Error
}

// Scope builds a query and reads no Error: no work.
func (u *Users) Scope(ctx context.Context) (*gorm.DB, error) { // want Scope:"validator"
	return u.DB.WithContext(ctx).Where("active"), nil
}

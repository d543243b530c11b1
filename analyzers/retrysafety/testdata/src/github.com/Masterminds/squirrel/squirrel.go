// Package squirrel is a stand-in for github.com/Masterminds/squirrel, a
// query builder: a chain of calls naming the statement's verb, turned
// into SQL by ToSql.
package squirrel

import "strings"

type SelectBuilder struct{ parts []string }

func Select(columns ...string) SelectBuilder {
	return SelectBuilder{parts: []string{"SELECT " + strings.Join(columns, ", ")}}
}

func (b SelectBuilder) From(table string) SelectBuilder {
	return SelectBuilder{parts: append(b.parts, "FROM "+table)}
}

func (b SelectBuilder) Where(pred string, args ...any) SelectBuilder {
	return SelectBuilder{parts: append(b.parts, "WHERE "+pred)}
}

func (b SelectBuilder) ToSql() (string, []any, error) { return strings.Join(b.parts, " "), nil, nil }

type InsertBuilder struct{ parts []string }

func Insert(into string) InsertBuilder { return InsertBuilder{parts: []string{"INSERT INTO " + into}} }

func (b InsertBuilder) Values(values ...any) InsertBuilder {
	return InsertBuilder{parts: append(b.parts, "VALUES (?)")}
}

// Select makes an INSERT ... SELECT.
func (b InsertBuilder) Select(sb SelectBuilder) InsertBuilder {
	q, _, _ := sb.ToSql()
	return InsertBuilder{parts: append(b.parts, q)}
}

func (b InsertBuilder) Suffix(sql string) InsertBuilder {
	return InsertBuilder{parts: append(b.parts, sql)}
}

func (b InsertBuilder) ToSql() (string, []any, error) { return strings.Join(b.parts, " "), nil, nil }

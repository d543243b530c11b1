package retrycoverage

import "reflect"

var reflectTypeOfResult = reflect.TypeFor[*Result]()

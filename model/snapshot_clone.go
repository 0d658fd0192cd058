package model

// Clone returns a copy of the snapshot that shares no map or slice with
// it, so two owners can each apply batches to their own (the screen and
// the alert engine).
func (s Snapshot) Clone() Snapshot {
	c := s
	c.Quotes = cloneMap(s.Quotes, func(q Quote) Quote { return q })
	c.Daily = cloneMap(s.Daily, cloneSlice[Bar])
	c.Elements = cloneMap(s.Elements, func(x Series) Series { return cloneSlice(x) })
	c.Contract = cloneSlice(s.Contract)
	c.Concentrates = cloneSlice(s.Concentrates)
	c.Margin = cloneMap(s.Margin, cloneSlice[MarginDay])
	c.Sector = cloneMap(s.Sector, cloneSlice[MarginDay])
	c.Boards = cloneMap(s.Boards, func(b BoardMove) BoardMove { return b })
	c.Members = cloneMap(s.Members, cloneSlice[Quote])
	c.Symbols = cloneMap(s.Symbols, func(x Symbol) Symbol { return x })
	c.IndexEras = cloneSlice(s.IndexEras)
	return c
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

func cloneMap[K comparable, V any](m map[K]V, f func(V) V) map[K]V {
	if m == nil {
		return nil
	}
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = f(v)
	}
	return out
}

//go:build !js

package main

import (
	"math"
	"slices"
)

// stat summarises samples: the median and the interquartile range.
type stat struct {
	Median, P25, P75 float64
	N                int
}

func summarize(xs []float64) stat {
	if len(xs) == 0 {
		return stat{Median: math.NaN(), P25: math.NaN(), P75: math.NaN()}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return stat{Median: quantile(s, 0.5), P25: quantile(s, 0.25), P75: quantile(s, 0.75), N: len(s)}
}

// quantile interpolates linearly between the closest ranks of sorted s.
func quantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(s)-1)
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

func (s stat) ok() bool { return s.N > 0 && !math.IsNaN(s.Median) && s.Median > 0 }

func median(xs []float64) float64 { return summarize(xs).Median }

package common

// Labels of the whole-market views (the ladder, the sector's margin, the
// universe search, the watchlist's columns), each written once here so a
// message catalogue can take them over.
const (
	LabelLadderTitle    = "涨停 Ladder"
	LabelLadderShort    = "涨停"
	LabelLadderScreen   = "Limit-up ladder 涨停"
	LabelLadderNone     = "no limit-up pool cached yet"
	LabelLadderAsOf     = "no pool for %s yet: showing %s"
	LabelLadderStocks   = "%d stocks"
	LabelLadderHint     = "sector names marked ★"
	LabelLadderFirst    = "first"
	LabelLadderLast     = "last"
	LabelLadderBreaks   = "炸板"
	LabelLadderBoard    = "board"
	LabelLadderSealed   = "sealed"
	LabelLadderCode     = "code"
	LabelLadderName     = "name"
	LabelLadderPrice    = "last"
	LabelLadderChange   = "chg%"
	LabelSectorMarks    = "★"
	LabelSectorMargin   = "Sector margin 融资余额"
	LabelSectorHead     = "Σ %d names bal %s  day %s"
	LabelSectorYTD      = "since %s %s  >10%%: %d  >20%%: %d"
	LabelSectorNoBase   = "%d without a balance on %s"
	LabelSectorNames    = "names up since %s: %d over 20%%, %d over 10%%, of %d with a base"
	LabelSectorCols     = "code|name|%s|latest|change"
	LabelSectorNone     = "no margin days cached for the sector's names yet"
	LabelSectorOf       = "the sector (%d names, %s)"
	LabelSectorOfConfig = "the sector (%d names, configured)"
	LabelSectorOfWatch  = "the watchlist's A shares"
	LabelUniverseOf     = "%d symbols as of %s"
	LabelUniverseNone   = "only cached symbols (the full list arrives with the first refresh)"
)

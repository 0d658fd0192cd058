// Package store keeps rareterm's market history in one bbolt file. It is the
// only package that imports bbolt, and it speaks in model types: Append
// writes one poll's batch in one transaction; Snapshot, the range reads and
// the as-of reads each run in one short read transaction and return copies.
//
// # Files
//
// Open creates the parent directory (0700) and the file (0600), waits at
// most Options.Timeout for the file lock (ErrInUse after that: one writer per
// file), and refuses a file that is not a rareterm database (ErrNotDatabase,
// without writing to it) or that was created in the other mode
// (ErrModeMismatch: a demo database is never opened as the live one, nor the
// reverse; tools that read any file pass Options.AnyMode). After taking the
// lock Open checks the path still names the file it locked, and opens
// again if it was replaced meanwhile (CompactFile renames a new file over
// the old one).
//
// OpenOrMoveAside is Open for the dashboard and the collector: a file that
// will not open as a database (ErrNotDatabase: no bbolt header, truncated,
// corrupt; ErrDamaged) is renamed, under its lock, to
// <path>.damaged-YYYYMMDD-HHMMSS and a new database created, with a message
// for the user. The damaged file is never deleted or written to; a sound
// bbolt file of another program, a directory and a read-only open are left
// alone.
//
// # Damaged files
//
// bbolt trusts its pages: a page that does not read as what points to it
// makes it panic, sometimes in a goroutine of its own (the free-page scan
// of a read-write open) where no recover reaches, or fault on an address
// past its mapping. So Open first walks the file without bbolt (walk.go):
// under the file's shared lock, from the current meta page (chosen as
// bbolt chooses it), every branch, leaf and overflow page reachable, with
// every id, type, element bound and key order checked before use. The
// first problem is a DamagedError (ErrDamaged) naming the file, the page
// and the bucket. A read-write open walks the whole file (bbolt's scan
// reads every page anyway; measured 0.16-0.25 s for a 170 MB file); a
// read-only one for at most readOnlyVerifyBudget. Every transaction, the
// open itself and the compaction also recover from bbolt's panics, with
// faults turned into panics (debug.SetPanicOnFault), and a value that does
// not decode is reported as damage too. Check walks, then runs bbolt's
// check. CompactFile refuses a damaged file. Salvage copies what the walk
// can read of a damaged file into a new one, skipping unreadable pages
// and undecodable values, and reports per bucket what it copied and lost.
//
// # Schema, version 1
//
// Top-level buckets:
//
//	meta       schema -> uint64 big-endian schema version (1)
//	           mode -> "live" | "demo"
//	           created -> uint64 big-endian Unix nanoseconds
//	           index_eras -> the stored index baskets (value encoding below)
//	quotes     /<symbol>/<time key> -> Quote
//	bars_1d    /<symbol>/<time key> -> Bar (daily; key 00:00 CST of the day)
//	bars_1m    /<symbol>/<time key> -> Bar (minute)
//	margin     /<symbol or board code>/<time key> -> MarginDay (per stock,
//	           and sector margin under the board's code, e.g. BK0578)
//	boards     /<board code>/<time key> -> BoardMove
//	members    /<board code>/<time key> -> the board's constituents as
//	           fetched at that time (Batch.At; an empty list is not stored)
//	elements   /<element id>/<time key> -> ElementPrice (key = the price date)
//	contract   <quarter key> -> ContractQuarter
//	symbols    <code> -> Symbol
//
// A time key is the instant's Unix nanoseconds as 8 bytes big-endian, so
// byte order is time order: a range read Seeks to the from key and walks
// Next until the to key (both inclusive); an as-of read Seeks to t and steps
// Prev unless it landed exactly on t; newest-N walks Prev from there. Times
// outside 1970..2262 cannot be keys and fail the Append. A quarter key is
// the year as 2 bytes big-endian and the quarter as 1 byte (2026Q1 =
// 07 ea 01). What a key or a bucket name says (symbol, time, interval,
// element, quarter) is not repeated in the value.
//
// # Values
//
// Every value starts with a version byte (1), followed by its fields in a
// fixed order: float64 as 8 bytes big-endian IEEE bits (NaN, model's
// "unknown", round-trips), strings as a uvarint length and the UTF-8 bytes
// (at most 64 KiB), small integers as zig-zag varints, embedded times as a
// flag byte (0 zero time, 1 followed by varint Unix nanoseconds). Layouts:
//
//	Quote         Name, Source, Last, PrevClose, Open, High, Low, Volume,
//	              Amount, TurnoverPct, MarketCap, FloatCap, PE, MainNet,
//	              High52, Low52
//	Bar           Source, Open, High, Low, Close, Volume, Amount
//	MarginDay     Name, Source, FinBalance, FinBuy, FinRepay, FinNetBuy,
//	              LendBalance, Total, BalancePct, FloatCap
//	BoardMove     Name, Leader, LeaderCode, Source, Level, ChangePct, MainNet,
//	              Turnover, LeaderPct, Up, Down, Flat, LimitUp
//	members       count, then per quote: Symbol, Time, and the Quote fields
//	ElementPrice  Price, Low, High, Source, OrigUnit
//	Contract      Price, BasisREO, Source, Note
//	Symbol        Market, Name, NameEn
//	index_eras    count, then per era: From, count, then per weight:
//	              Element, Weight
//
// Decoding checks every length against the bytes left, rejects an unknown
// version byte and trailing bytes, and returns an error (never panics) on
// short or corrupt input. Decoded times are in Asia/Shanghai (model.CST).
// Every Source is stored and returned as given.
//
// # Migrations
//
// The meta bucket's schema key records the layout. When this code's
// SchemaVersion is N+1 and a file says N, Open runs migrations[N] (then N+1,
// ... up to SchemaVersion) in one write transaction that ends by writing the
// new version: a migration that fails leaves the file at its old version
// and Open returns the error. A migration rewrites what changed, e.g. for a
// new Quote field it walks quotes/*, decodes each value with the old layout
// and re-encodes it with the new version byte; decoders keep reading the
// old version byte until the migration that retires it has shipped. A file
// newer than the code is refused; a file that needs a migration cannot be
// opened ReadOnly.
//
// # Reference data
//
// reference/contract.csv and reference/elements.csv are embedded and loaded
// into a new database in the transaction that creates it (never into an
// existing one, so a user's corrections are not overwritten). ParseCSV,
// ParseContractCSV and ParseElementsCSV read the same formats for import.
//
// # bbolt settings
//
// The array freelist (bbolt's default) and NoFreelistSync are on: a commit
// copies its pages into the lowest free page ids, so small commits cycle
// through the same few pages, which stay mapped (the hashmap freelist took
// free pages in map order from anywhere in the file: a page fault for each,
// and a resident set that grew with every commit); and no freelist pages are
// written with every commit (after pruning the freelist runs to tens of KB),
// for a scan at Open that rebuilds it (tens of ms for tens of MB). Commits to the live database are fsynced
// (NoSync stays off): an Append that returned nil survives a power cut. The
// demo database, simulated data made again from its seed, is not synced. Time-series buckets split
// pages 90% full (keys arrive in time order).
//
// # Cost model
//
// An Append costs a few pages per nested bucket it touches (the bucket's
// last leaf, copied on write, a new leaf when that fills, and its branch
// page), plus two fdatasyncs. A batch of 1,000 quotes for 50 symbols writes
// about 150 pages (600 KB); the same 1,000 quotes for one symbol about 40.
// Reads cost one cursor step and one decode per value; range reads count
// their keys first and allocate the result once.
//
// # Retention and compaction
//
// Retain(now, days) folds the intraday quotes older than days (whole CST
// days) into 1-minute bars in bars_1m and deletes them; daily bars, margin,
// boards, element prices and contract quarters are kept for ever. Each of
// its transactions folds whole days of one symbol, writing the bars and
// deleting the quotes together. Prune(kind, before) deletes old values of
// one kind in one transaction. Both collect keys before deleting them.
//
// bbolt reuses freed pages but never shrinks the file: CompactFile copies
// the database into a temporary file beside it (bbolt's Compact, pages
// full), checks the copy, fsyncs it and renames it over the original,
// holding the exclusive lock throughout. Stats reports, per bucket, series,
// records, first and last times and page bytes, and the file's size.
//
// # Export and import
//
// Export writes one series (quotes, bars, margin, elements, contract,
// boards) as CSV or JSON, NaN as an empty cell or null, every row with its
// source. The elements and contract CSVs are the formats ParseCSV reads:
// ParseCSV checks every row and returns CSVErrors naming each bad one (line,
// column, reason); Import writes the batch in one transaction, comparing
// each value with the stored one (new, changed, unchanged), so importing a
// file twice adds nothing.
package store

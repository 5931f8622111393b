package storage

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// findBenchFileOrSkip is the path of the cached caseload of size (brought
// up to this schema if an older build made it), or skips the benchmark
// with a line saying how to make it: go test ./... never builds one.
func findBenchFileOrSkip(b *testing.B, size BenchSize) string {
	b.Helper()
	path, ok, err := FindBenchFile(context.Background(), size)
	if err != nil {
		b.Fatal(err)
	}
	if !ok {
		b.Skipf("no %s benchmark caseload at %s: make it once with CALLCOACH_BENCH_MAKE=%s go test ./storage -run TestMakeBenchFiles -timeout 2h -v",
			size.Name, path, size.Name)
	}
	return path
}

// exportRecords counts what an unfiltered export writes: every row of
// every record type.
func exportRecords(b *testing.B, s *Store) int64 {
	b.Helper()
	var total int64
	for _, table := range []string{"people", "calls", "action_plans", "rulers", "change_talk", "tally_marks",
		"measures", "follow_ups", "safety_events"} {
		var n int64
		if err := s.ro.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			b.Fatal(err)
		}
		total += n
	}
	return total
}

// heapPeak samples HeapInuse every 20 ms until stop is called, which
// returns the highest sample.
func heapPeak() (stop func() uint64) {
	var (
		peak uint64
		wg   sync.WaitGroup
	)
	done := make(chan struct{})
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapInuse)
	}
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			sample()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		sample()
		return peak
	}
}

// BenchmarkExport exports each cached caseload (read only), CSV then JSON
// then FHIR in every round, so the CSV figure is the anchor for the JSON
// and FHIR ones measured beside it on this noisy machine (FHIR's records
// are the same rows, counted as for the others). It reports records a
// second for each, their ratio, and the highest heap in use (sampled)
// during each: flat memory is the same heap at every size. The 100k
// caseload holds the 1,000,000 notes of the figure. The real
// binary's figures (peak resident memory) are BenchmarkExportCommand's.
//
//	nice go test ./storage -run '^$' -bench 'Export$/100k' -benchtime 1x -count 5
func BenchmarkExport(b *testing.B) {
	for _, size := range BenchSizes {
		b.Run(size.Name, func(b *testing.B) {
			benchExport(b, findBenchFileOrSkip(b, size))
		})
	}
}

func benchExport(b *testing.B, path string) {
	ctx := context.Background()
	s, err := OpenReadOnly(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	records := exportRecords(b, s)
	var csvTime, jsonTime, fhirTime time.Duration
	var csvHeap, jsonHeap, fhirHeap uint64
	for b.Loop() {
		dir := b.TempDir()

		stop := heapPeak()
		start := time.Now()
		csvDir := filepath.Join(dir, "csv")
		if err := os.Mkdir(csvDir, 0o700); err != nil {
			b.Fatal(err)
		}
		if err := s.ExportCSV(ctx, csvDir, ExportFilter{}, CSVOptions{}); err != nil {
			b.Fatal(err)
		}
		csvTime += time.Since(start)
		csvHeap = max(csvHeap, stop())

		stop = heapPeak()
		start = time.Now()
		f, err := os.Create(filepath.Join(dir, "export.json"))
		if err != nil {
			b.Fatal(err)
		}
		if err := s.ExportJSON(ctx, f, ExportFilter{}, BenchNow); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		jsonTime += time.Since(start)
		jsonHeap = max(jsonHeap, stop())

		stop = heapPeak()
		start = time.Now()
		if err := s.ExportFHIR(ctx, io.Discard, ExportFilter{}, BenchNow); err != nil {
			b.Fatal(err)
		}
		fhirTime += time.Since(start)
		fhirHeap = max(fhirHeap, stop())

		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(records) * float64(b.N)
	b.ReportMetric(float64(records), "records")
	b.ReportMetric(n/csvTime.Seconds(), "csv-records/s")
	b.ReportMetric(n/jsonTime.Seconds(), "json-records/s")
	b.ReportMetric(csvTime.Seconds()/jsonTime.Seconds(), "json/csv")
	b.ReportMetric(float64(csvHeap)/(1<<20), "csv-heap-MiB")
	b.ReportMetric(float64(jsonHeap)/(1<<20), "json-heap-MiB")
	b.ReportMetric(n/fhirTime.Seconds(), "fhir-records/s")
	b.ReportMetric(float64(fhirHeap)/(1<<20), "fhir-heap-MiB")
	b.ReportMetric(0, "ns/op")
}

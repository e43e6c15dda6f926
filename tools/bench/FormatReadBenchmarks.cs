using BenchmarkDotNet.Attributes;
using CausalStream.Core.Formats;

namespace CausalStream.Bench;

/// <summary>
/// Read throughput of the file readers over a whole generated file (64 channels × 1 kHz × 60 s): XDF (float32,
/// 32-sample chunks, ~16 MB) decoded to doubles block by block, and EDF (16-bit, 1 s records, ~7.7 MB) decoded to
/// physical values record by record. MB/s = file size / Mean; the file is in the page cache after the first run.
/// </summary>
[MemoryDiagnoser]
public class FormatReadBenchmarks
{
    private string _xdf = string.Empty;
    private string _edf = string.Empty;

    /// <summary>Bytes of the XDF file (for MB/s).</summary>
    public long XdfBytes { get; private set; }

    /// <summary>Bytes of the EDF file (for MB/s).</summary>
    public long EdfBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _xdf = FormatBenchData.Xdf(64, 1000, 60);
        _edf = FormatBenchData.Edf(64, 1000, 60);
        XdfBytes = new FileInfo(_xdf).Length;
        EdfBytes = new FileInfo(_edf).Length;
        Console.WriteLine($"// XDF file {XdfBytes} bytes, EDF file {EdfBytes} bytes");
    }

    [Benchmark]
    public double ReadXdf()
    {
        double sum = 0;
        using var reader = XdfReader.Open(_xdf);
        foreach (var block in reader.ReadSamples())
        {
            var values = block.Values;
            if (values.Length > 0)
            {
                sum += values[0] + values[^1];
            }
        }

        return sum;
    }

    [Benchmark]
    public double ReadEdf()
    {
        double sum = 0;
        using var reader = EdfReader.Open(_edf);
        foreach (var record in reader.ReadRecords())
        {
            for (int s = 0; s < reader.Signals.Count; s++)
            {
                sum += record.Physical(s)[0];
            }
        }

        return sum;
    }
}

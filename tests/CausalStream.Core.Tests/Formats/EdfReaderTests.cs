using CausalStream.Core.Formats;

namespace CausalStream.Core.Tests.Formats;

public class EdfReaderTests
{
    internal static EdfTestWriter TwoSignals(bool bdf = false, string reserved = "EDF+C", int? declared = null) => new()
    {
        Bdf = bdf,
        Reserved = reserved,
        DeclaredRecords = declared,
        Signals =
        {
            ("A", 10, -100, 100, bdf ? -8388608 : -32768, bdf ? 8388607 : 32767),
            ("B", 5, 0, 10, 0, 1000),
            (bdf ? "BDF Annotations" : "EDF Annotations", 30, -1, 1, bdf ? -8388608 : -32768, bdf ? 8388607 : 32767),
        },
    };

    private static int Digital(int r, int s, int i) => s == 0 ? (r * 100) + i - 50 : (r * 10) + i;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ScalesDigitalToPhysicalPerChannelForEdfAndBdf(bool bdf)
    {
        using var file = new TempFile(bdf ? ".bdf" : ".edf");
        var writer = TwoSignals(bdf);
        File.WriteAllBytes(file.Path, writer.Build(3, Digital, r => EdfTestWriter.Tal(r, (r + 0.5, 0.25, "ev" + r))));
        using var reader = EdfReader.Open(file.Path);
        Assert.Equal(bdf, reader.IsBdf);
        Assert.Empty(reader.Problems);
        var signalA = reader.Signals[0];
        var annotations = new List<EdfAnnotation>();
        foreach (var record in reader.ReadRecords())
        {
            for (int i = 0; i < 10; i++)
            {
                int d = Digital(record.Index, 0, i);
                Assert.Equal(d, record.Digital(0)[i]);
                double expected = ((d - signalA.DigitalMinimum) * 200.0 / (signalA.DigitalMaximum - signalA.DigitalMinimum)) - 100;
                Assert.Equal(expected, record.Physical(0)[i], 9);
            }

            Assert.Equal(Digital(record.Index, 1, 4) / 100.0, record.Physical(1)[4], 12);
            annotations.AddRange(record.Annotations);
        }

        Assert.Equal([new EdfAnnotation(0.5, 0.25, "ev0"), new EdfAnnotation(1.5, 0.25, "ev1"), new EdfAnnotation(2.5, 0.25, "ev2")], annotations);
    }

    [Fact]
    public void DiscontinuousRecordsTakeTheirOnsetsFromTheirTals()
    {
        using var file = new TempFile(".edf");
        double[] onsets = [0, 5, 5.5, 20];
        File.WriteAllBytes(file.Path, TwoSignals(reserved: "EDF+D").Build(4, Digital, r => EdfTestWriter.Tal(onsets[r])));
        using var reader = EdfReader.Open(file.Path);
        Assert.True(reader.IsDiscontinuous);
        Assert.Equal(onsets, reader.ReadRecords().Select(r => r.Onset).ToArray());
        Assert.Equal(2, reader.RecordAt(6));
        Assert.Equal(3, reader.RecordAt(100));
    }

    [Fact]
    public void TruncatedFileDeliversTheCompleteRecordsThenNamesTheByteOffset()
    {
        using var file = new TempFile(".edf");
        var bytes = TwoSignals().Build(5, Digital);
        int recordBytes = (10 + 5 + 30) * 2;
        File.WriteAllBytes(file.Path, bytes[..(bytes.Length - recordBytes - 7)]);
        using var reader = EdfReader.Open(file.Path);
        Assert.Equal(5, reader.RecordCount);
        Assert.Equal(3, reader.ReadableRecords);
        var seen = new List<int>();
        var error = Assert.Throws<DataFormatException>(() =>
        {
            foreach (var record in reader.ReadRecords())
            {
                seen.Add(record.Index);
            }
        });
        Assert.Equal([0, 1, 2], seen);
        Assert.Equal($"byte offset {1024 + (3 * recordBytes)}", error.Position);
        Assert.Contains("declares 5 records", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownRecordCountIsTakenFromTheFileSizeAndExtraBytesAreReported()
    {
        using var file = new TempFile(".edf");
        var bytes = TwoSignals(declared: -1).Build(4, Digital);
        File.WriteAllBytes(file.Path, [.. bytes, 1, 2, 3]);
        using var reader = EdfReader.Open(file.Path);
        Assert.Equal(4, reader.RecordCount);
        Assert.Contains("3 bytes after the last complete record", Assert.Single(reader.Problems), StringComparison.Ordinal);
        Assert.Equal(4, reader.ReadRecords().Count());
    }

    [Fact]
    public void MoreBytesThanTheDeclaredRecordsAreReportedAndIgnored()
    {
        using var file = new TempFile(".edf");
        var bytes = TwoSignals(declared: 2).Build(3, Digital);
        File.WriteAllBytes(file.Path, bytes);
        using var reader = EdfReader.Open(file.Path);
        Assert.Equal(2, reader.ReadRecords().Count());
        Assert.Contains("bytes after the 2 records the header declares", Assert.Single(reader.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void WrongHeaderSizeIsRefusedNamingTheField()
    {
        using var file = new TempFile(".edf");
        var bytes = TwoSignals().Build(2, Digital);
        "999     "u8.ToArray().CopyTo(bytes, 184);
        File.WriteAllBytes(file.Path, bytes);
        var error = Assert.Throws<DataFormatException>(() => EdfReader.Open(file.Path));
        Assert.Equal("header byte 184", error.Position);
        Assert.Contains("declares 999 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadSignalFieldsAreRefusedNamingTheSignal()
    {
        using var file = new TempFile(".edf");
        var writer = new EdfTestWriter { Signals = { ("A", 4, -1, 1, 100, 100) } };
        File.WriteAllBytes(file.Path, writer.Build(1, (_, _, _) => 0));
        var error = Assert.Throws<DataFormatException>(() => EdfReader.Open(file.Path));
        Assert.Contains("signal 1 ('A'): digital minimum 100 is not below digital maximum 100", error.Message, StringComparison.Ordinal);

        var bytes = TwoSignals().Build(1, Digital);
        "abc     "u8.ToArray().CopyTo(bytes, 256 + (216 * 3) + 8);
        File.WriteAllBytes(file.Path, bytes);
        error = Assert.Throws<DataFormatException>(() => EdfReader.Open(file.Path));
        Assert.Contains("signal 2 ('B') samples per record: 'abc' is not an integer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonEdfFileIsRefused()
    {
        using var file = new TempFile(".edf");
        File.WriteAllText(file.Path, new string('x', 300));
        var error = Assert.Throws<DataFormatException>(() => EdfReader.Open(file.Path));
        Assert.Contains("not an EDF/BDF file", error.Message, StringComparison.Ordinal);
    }
}

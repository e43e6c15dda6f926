using CausalStream.Core.Formats;

namespace CausalStream.Core.Tests.Formats;

public class CsvSampleReaderTests
{
    [Fact]
    public void ReadsHeaderTimesAndRowMajorValues()
    {
        var csv = CsvSampleReader.Read(new StringReader("t,Fz,Cz\n0.000,1.5,-2\n0.002,3,4e-1\n"), "mem.csv");
        Assert.Equal(["Fz", "Cz"], csv.Channels);
        Assert.Equal([0.0, 0.002], csv.Timestamps);
        Assert.Equal([1.5, -2, 3, 0.4], csv.Values);
        Assert.Equal(500, csv.EstimatedRate(), 6);
        Assert.Empty(csv.Problems);
    }

    [Fact]
    public void MissingValuesBecomeNaN()
    {
        var csv = CsvSampleReader.Read(new StringReader("t,a,b\n0,,NaN\n1,2,3\n"), "mem.csv");
        Assert.True(double.IsNaN(csv.Values[0]));
        Assert.True(double.IsNaN(csv.Values[1]));
        Assert.Empty(csv.Problems);
    }

    [Theory]
    [InlineData("", "mem.csv: line 1: the file is empty")]
    [InlineData("time,a\n0,1\n", "mem.csv: line 1: expected a header")]
    [InlineData("t,a,,b\n0,1,2,3\n", "mem.csv: line 1, column 3: empty channel name")]
    [InlineData("t,a\n", "mem.csv: line 2: no readable data rows")]
    public void BadHeadersAreFatalAndNamed(string text, string expected)
    {
        var error = Assert.Throws<DataFormatException>(() => CsvSampleReader.Read(new StringReader(text), "mem.csv"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedRowsAreSkippedOrReadAsNaNWithNamedProblemsAndTheRestIsKept()
    {
        string text = "t,a,b\n0,1,2\n0.1,3\n0.2,x,4\nbad,5,6\n0.15,7,8\n0.3,9,10\n0.4,11,12";
        var csv = CsvSampleReader.Read(new StringReader(text), "rec.csv");
        Assert.Equal([0.0, 0.2, 0.3, 0.4], csv.Timestamps);
        Assert.True(double.IsNaN(csv.Values[2]));
        Assert.Equal(4, csv.Values[3]);
        Assert.Equal(12, csv.Values[^1]);
        Assert.Equal(3, csv.SkippedRows);
        Assert.Equal(4, csv.Problems.Count);
        Assert.StartsWith("rec.csv: line 3: 2 fields, the header has 3", csv.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("rec.csv: line 4, column 2: 'x' is not a finite number", csv.Problems[1], StringComparison.Ordinal);
        Assert.StartsWith("rec.csv: line 5, column 1: time 'bad'", csv.Problems[2], StringComparison.Ordinal);
        Assert.StartsWith("rec.csv: line 6, column 1: time 0.15 does not increase", csv.Problems[3], StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedLastLineIsSkipped()
    {
        var csv = CsvSampleReader.Read(new StringReader("t,a,b\n0,1,2\n0.1,3,4\n0.2,5"), "cut.csv");
        Assert.Equal(2, csv.Rows);
        Assert.Single(csv.Problems);
        Assert.Contains("line 4", csv.Problems[0]);
    }
}

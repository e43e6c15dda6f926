using CausalStream.Core.Windows;

namespace CausalStream.Core.Tests.Windows;

public class WindowSpecTests
{
    [Fact]
    public void ConvertsSecondsToSamplesAtTheNominalRate()
    {
        var spec = WindowSpec.InSeconds(0.5, 0.1);
        Assert.Equal(250, spec.LengthInSamples(500));
        Assert.Equal(50, spec.HopInSamples(500));
        Assert.Equal(WindowUnit.Seconds, spec.Unit);

        var odd = WindowSpec.InSeconds(1.0, 0.0125);
        Assert.Equal(6, odd.HopInSamples(500)); // 6.25 samples rounds to 6
    }

    [Fact]
    public void SampleWindowsIgnoreTheRate()
    {
        var spec = WindowSpec.InSamples(128, 16);
        Assert.Equal(128, spec.LengthInSamples(0));
        Assert.Equal(16, spec.HopInSamples(1000));
    }

    [Fact]
    public void HopLongerThanLengthIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => WindowSpec.InSamples(10, 11));
        Assert.Equal("hop", error.ParamName);
        Assert.Contains("window hop (11 samples) must not exceed the window length (10 samples)", error.Message);
    }

    [Theory]
    [InlineData(0, 1, "length")]
    [InlineData(-2, 1, "length")]
    [InlineData(double.NaN, 1, "length")]
    [InlineData(2, 0, "hop")]
    [InlineData(2, -1, "hop")]
    [InlineData(2, double.PositiveInfinity, "hop")]
    public void NonPositiveOrNonFiniteValuesAreRejected(double length, double hop, string param)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => WindowSpec.InSeconds(length, hop));
        Assert.Equal(param, error.ParamName);
        Assert.Contains($"window {param} must be a positive number of seconds", error.Message);
    }

    [Fact]
    public void FractionalSampleCountsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new WindowSpec(10.5, 2, WindowUnit.Samples));
        Assert.Contains("whole number", error.Message);
    }

    [Fact]
    public void SecondsCannotBeConvertedForAnIrregularStream()
    {
        var spec = WindowSpec.InSeconds(2, 0.5);
        var error = Assert.Throws<InvalidOperationException>(() => spec.LengthInSamples(0));
        Assert.Contains("irregular stream (nominal rate 0)", error.Message);
        Assert.Contains("give the window in samples", error.Message);
    }

    [Fact]
    public void WindowShorterThanOneSampleIsReported()
    {
        var spec = WindowSpec.InSeconds(0.001, 0.001);
        var error = Assert.Throws<InvalidOperationException>(() => spec.LengthInSamples(100));
        Assert.Contains("shorter than one sample at 100 Hz", error.Message);
    }
}
